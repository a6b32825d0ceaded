package model

import "strings"

// IsFluxRelease reports whether a source object reads one of Flux's own
// release sources: an OCIRepository of oci://ghcr.io/fluxcd/flux-manifests
// (or a mirror of it), or a GitRepository of github.com/fluxcd/flux2.
func IsFluxRelease(o *Object) bool {
	url, _ := value(o.Content, "spec", "url").(string)
	url = strings.TrimSuffix(strings.TrimSuffix(url, "/"), ".git")
	switch {
	case IsKind(o, GroupSource, "OCIRepository"):
		return strings.HasSuffix(url, "/flux-manifests")
	case IsKind(o, GroupSource, "GitRepository"):
		return strings.HasSuffix(url, "github.com/fluxcd/flux2")
	}
	return false
}

// FluxInstallKinds are the kinds of the objects that Flux's install
// manifests (manifests/install of fluxcd/flux2, the flux-manifests
// artifact) hold: a Kustomization that applies them makes nothing else.
var FluxInstallKinds = []string{"Namespace", "ResourceQuota", "CustomResourceDefinition", "ServiceAccount",
	"ClusterRole", "ClusterRoleBinding", "Service", "Deployment", "NetworkPolicy"}
