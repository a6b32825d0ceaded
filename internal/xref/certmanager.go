package xref

import (
	"fmt"
	"slices"

	"github.com/fluxlint/fluxlint/internal/model"
)

// certManagerGroup is the group of cert-manager's Issuers and Certificates.
const certManagerGroup = "cert-manager.io"

// checkCertManager checks the issuerRef of a Certificate or
// CertificateRequest. Issuers of other groups (external issuers) are not
// looked up.
func (r *reporter) checkCertManager(o *model.Object) {
	if o.Ref.Kind != "Certificate" && o.Ref.Kind != "CertificateRequest" {
		return
	}
	m := mapAt(o.Content, "spec", "issuerRef")
	if orDefault(str(m, "group"), certManagerGroup) != certManagerGroup {
		return
	}
	r.issuer(o, []string{"spec", "issuerRef", "name"}, orDefault(str(m, "kind"), "Issuer"), str(m, "name"), "issuerRef")
}

// issuerAnnotations checks the issuer that cert-manager's ingress-shim or
// gateway-shim annotations of an Ingress or Gateway name, and reports
// whether the object has one (cert-manager then makes its TLS Secrets).
func (r *reporter) issuerAnnotations(o *model.Object) bool {
	a := stringMap(o.Content, "metadata", "annotations")
	cluster, namespaced := a["cert-manager.io/cluster-issuer"], a["cert-manager.io/issuer"]
	if cluster == "" && namespaced == "" {
		return false
	}
	if orDefault(a["cert-manager.io/issuer-group"], certManagerGroup) != certManagerGroup {
		return true // an external issuer
	}
	path := func(k string) []string { return []string{"metadata", "annotations", k} }
	if cluster != "" {
		r.issuer(o, path("cert-manager.io/cluster-issuer"), "ClusterIssuer", cluster, "annotation cert-manager.io/cluster-issuer")
	} else if kind := orDefault(a["cert-manager.io/issuer-kind"], "Issuer"); kind == "Issuer" || kind == "ClusterIssuer" {
		r.issuer(o, path("cert-manager.io/issuer"), kind, namespaced, "annotation cert-manager.io/issuer")
	}
	return true
}

// issuer checks that a cert-manager Issuer (in the object's namespace) or
// ClusterIssuer exists, and says so when the name is of the other kind.
func (r *reporter) issuer(o *model.Object, path []string, kind, name, what string) {
	if kind != "Issuer" && kind != "ClusterIssuer" || skipName(name) {
		return
	}
	ns, other, otherNS := o.Ref.Namespace, "ClusterIssuer", ""
	if kind == "ClusterIssuer" {
		ns, other, otherNS = "", "Issuer", o.Ref.Namespace
	}
	rf := ref{obj: o, path: path, kind: kind, apiVersion: certManagerGroup + "/v1", namespace: ns, name: name,
		rule: RuleIssuerMissing, what: what}
	_, st := r.ix.lookupGroup(certManagerGroup, true, kind, ns, name, nil)
	if st == missing && (kind != "ClusterIssuer" || !r.clusterObject(kind, name)) {
		if other == "ClusterIssuer" && r.clusterObject(other, name) || other == "Issuer" && r.issuerIn(otherNS, name) {
			r.report(rf, fmt.Sprintf("%s names %s %s, which does not exist in %s; there is a %s %s", what, kind, name, clusterOf(o), other, name),
				fmt.Sprintf("set the kind to %s", other))
			return
		}
	}
	if kind == "ClusterIssuer" {
		r.resolveClusterScoped(rf)
		return
	}
	r.resolve(rf)
}

// issuerIn reports whether a rendered Issuer has a name in a namespace.
func (r *reporter) issuerIn(namespace, name string) bool {
	e, st := r.ix.lookupGroup(certManagerGroup, true, "Issuer", namespace, name, nil)
	return st == found && e.obj != nil
}

// clusterObject reports whether a rendered object of a cluster-scoped
// custom resource kind has a name. kustomize does not know that kind is
// cluster-scoped: a Kustomization's targetNamespace or namespace writes a
// namespace into it, which the API server ignores, so any namespace counts.
func (r *reporter) clusterObject(kind, name string) bool {
	for _, e := range r.ix.objects {
		if e.obj != nil && e.obj.Ref.Kind == kind && e.obj.Ref.Name == name {
			return true
		}
	}
	return false
}

// clusterNames returns the names of the rendered objects of a
// cluster-scoped custom resource kind, whatever namespace kustomize wrote
// into them.
func (r *reporter) clusterNames(kind string) []string {
	var names []string
	for _, e := range r.ix.objects {
		if e.obj != nil && e.obj.Ref.Kind == kind {
			names = append(names, e.obj.Ref.Name)
		}
	}
	slices.Sort(names)
	return names
}

// resolveClusterScoped resolves a reference to a cluster-scoped custom
// resource (ClusterIssuer, ClusterSecretStore).
func (r *reporter) resolveClusterScoped(rf ref) {
	if r.clusterObject(rf.kind, rf.name) {
		return
	}
	if _, st := r.ix.lookup(rf.kind, "", rf.name); st != missing {
		return
	}
	if c := closest(rf.name, r.clusterNames(rf.kind)); c != "" {
		r.report(rf, fmt.Sprintf("%s names %s %s, which does not exist in %s", rf.what, rf.kind, rf.name, clusterOf(rf.obj)),
			"did you mean "+c+"?")
		return
	}
	r.resolve(rf)
}
