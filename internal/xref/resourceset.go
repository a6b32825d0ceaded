package xref

import (
	"strings"

	"github.com/fluxlint/fluxlint/internal/model"
)

// checkResourceSet checks a Flux Operator ResourceSet: the ServiceAccount
// of its namespace it impersonates to apply what it generates
// (spec.serviceAccountName), and what it waits for: each spec.dependsOn
// entry names an object (by apiVersion, kind, name and, for a namespaced
// kind, namespace) that must exist before the operator applies the set;
// one that never exists stalls it.
func (r *reporter) checkResourceSet(o *model.Object) {
	if o.Ref.Kind != "ResourceSet" {
		return
	}
	r.resolve(ref{obj: o, path: []string{"spec", "serviceAccountName"}, kind: "ServiceAccount", namespace: o.Ref.Namespace,
		name: str(o.Content, "spec", "serviceAccountName"), rule: RuleServiceAccountMissing, what: "spec.serviceAccountName"})
	for i, d := range listAt(o.Content, "spec", "dependsOn") {
		m := asMap(d)
		apiVersion, kind, name := str(m, "apiVersion"), str(m, "kind"), str(m, "name")
		if kind == "" || strings.Contains(name, "<<") || strings.Contains(apiVersion, "<<") {
			continue
		}
		rf := ref{obj: o, path: []string{"spec", "dependsOn", itoa(i), "name"}, kind: kind, apiVersion: apiVersion,
			versionPath: []string{"spec", "dependsOn", itoa(i), "apiVersion"},
			namespace:   str(m, "namespace"), name: name, rule: RuleDependencyMissing, what: "dependsOn"}
		if r.ix.kinds.ClusterScoped(apiVersion, kind) {
			// kustomize may have written a namespace into a cluster-scoped
			// custom resource; its name is what counts.
			if rf.namespace = ""; !r.clusterObject(kind, name) {
				r.resolve(rf)
			}
			continue
		}
		if rf.namespace == "" {
			rf.namespace = o.Ref.Namespace
		}
		r.resolve(rf)
	}
}

// fluxCRDs are the CustomResourceDefinitions that installing Flux makes
// (flux bootstrap, a FluxInstance), by group: their names are
// <plural>.<group>.
var fluxCRDs = map[string][]string{
	model.GroupKustomize:    {"kustomizations"},
	model.GroupHelm:         {"helmreleases"},
	model.GroupSource:       {"gitrepositories", "helmrepositories", "helmcharts", "ocirepositories", "buckets", "externalartifacts"},
	model.GroupNotification: {"alerts", "providers", "receivers"},
	model.GroupImage:        {"imagerepositories", "imagepolicies", "imageupdateautomations"},
}

// operatorCRDs are the CustomResourceDefinitions of Flux Operator, which
// its chart installs.
var operatorCRDs = []string{"fluxinstances", "fluxreports", "resourcesets", "resourcesetinputproviders"}

// addFluxCRDs records the CRDs of Flux, when the cluster runs Flux, and
// of Flux Operator, when it has Flux Operator's objects.
func (ix *index) addFluxCRDs(hasOperator bool) {
	const crd = "CustomResourceDefinition"
	if ix.hasFlux {
		for group, plurals := range fluxCRDs {
			for _, p := range plurals {
				ix.add("apiextensions.k8s.io", crd, "", p+"."+group, &entry{madeBy: "the Flux installation"})
			}
		}
	}
	if hasOperator {
		for _, p := range operatorCRDs {
			ix.add("apiextensions.k8s.io", crd, "", p+"."+model.GroupOperator, &entry{madeBy: "Flux Operator's chart"})
		}
	}
}
