package xref

import (
	"fmt"

	"github.com/fluxlint/fluxlint/internal/render"
)

// clusterScoped lists the common kinds that have no namespace.
var clusterScoped = map[string]bool{
	"Namespace": true, "Node": true, "PersistentVolume": true, "ClusterRole": true, "ClusterRoleBinding": true,
	"CustomResourceDefinition": true, "StorageClass": true, "IngressClass": true, "PriorityClass": true,
	"ValidatingWebhookConfiguration": true, "MutatingWebhookConfiguration": true, "ValidatingAdmissionPolicy": true,
	"ValidatingAdmissionPolicyBinding": true, "APIService": true, "CSIDriver": true, "RuntimeClass": true,
	"GatewayClass": true, "ClusterIssuer": true, "ClusterSecretStore": true, "ClusterExternalSecret": true,
	"ClusterPolicy": true, "VolumeSnapshotClass": true,
}

// checkNamespaces reports, once per namespace, objects that land in a
// namespace nothing creates, at the first such object.
func (r *reporter) checkNamespaces(objs []*render.Object) {
	reported := map[string]bool{}
	for _, o := range objs {
		ns := o.Ref.Namespace
		if ns == "" || clusterScoped[o.Ref.Kind] || reported[ns] {
			continue
		}
		if _, st := r.ix.lookup("Namespace", "", ns); st != missing {
			continue
		}
		reported[ns] = true
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
