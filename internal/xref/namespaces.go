package xref

import (
	"fmt"

	"github.com/fluxlint/fluxlint/internal/model"
)

// checkNamespaces reports, once per namespace, objects that land in a
// namespace nothing creates, at the first such object.
func (r *reporter) checkNamespaces(objs []*model.Object) {
	reported := map[string]bool{}
	for _, o := range objs {
		ns := o.Ref.Namespace
		if ns == "" || r.ix.kinds.ClusterScoped(o.Ref.APIVersion, o.Ref.Kind) || reported[ns] {
			continue
		}
		if _, st := r.ix.lookup("Namespace", "", ns); st != missing {
			continue
		}
		reported[ns] = true
		if pos, ok := r.cluster.Outside.Find("Namespace", ns); ok {
			// Made by hand or when Flux was installed: a script's kubectl
			// create namespace, Azure's Flux extension (az
			// k8s-configuration flux create --namespace), a file no
			// render reads.
			r.outside(ref{obj: o, path: []string{"metadata", "namespace"}, rule: RuleNamespaceMissing, what: "metadata.namespace", kind: "Namespace", name: ns}, pos)
			continue
		}
		count := 0
		for _, other := range objs {
			if other.Ref.Namespace == ns {
				count++
			}
		}
		others := ""
		if count > 1 {
			others = fmt.Sprintf(" (%d objects use it)", count)
		}
		r.report(ref{obj: o, path: []string{"metadata", "namespace"}, rule: RuleNamespaceMissing},
			fmt.Sprintf("%s lands in namespace %s, which nothing in %s creates: the apply fails%s", o.Ref, ns, clusterOf(o), others),
			r.ix.hintFor("Namespace", "", ns))
	}
}
