package flux

import (
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// TestManifestsVersion reads the Flux release a cluster installs from
// Flux's own release sources, and nothing from other sources.
func TestManifestsVersion(t *testing.T) {
	source := func(kind, url, tag string) *model.Object {
		return &model.Object{
			Ref:     finding.ObjectRef{APIVersion: model.GroupSource + "/v1", Kind: kind, Namespace: "flux-system", Name: "x"},
			Content: map[string]any{"spec": map[string]any{"url": url, "ref": map[string]any{"tag": tag}}},
		}
	}
	cases := []struct {
		name string
		obj  *model.Object
		want string
	}{
		{"flux-manifests", source("OCIRepository", "oci://ghcr.io/fluxcd/flux-manifests", "v2.4.0"), "2.4"},
		{"mirror", source("OCIRepository", "oci://registry.example.com/mirror/flux-manifests/", "2.6.1"), "2.6"},
		{"flux2 git", source("GitRepository", "https://github.com/fluxcd/flux2.git", "v0.31.4"), "0.31"},
		{"other artifact", source("OCIRepository", "oci://ghcr.io/stefanprodan/manifests/podinfo", "6.5.0"), ""},
		{"semver range", source("OCIRepository", "oci://ghcr.io/fluxcd/flux-manifests", ">=2.0.0"), ""},
		{"helm repository", source("HelmRepository", "oci://ghcr.io/fluxcd/flux-manifests", "v2.4.0"), ""},
	}
	for _, c := range cases {
		if got, _ := manifestsVersion([]*model.Object{c.obj}); got != c.want {
			t.Errorf("%s: manifestsVersion = %q, want %q", c.name, got, c.want)
		}
	}
}
