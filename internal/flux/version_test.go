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

// TestLenientSubstitution pins which Flux releases substitute a variable
// without a value by an empty string: all before 2.9, the 0.x betas too,
// and none when the version is unknown.
func TestLenientSubstitution(t *testing.T) {
	for v, want := range map[string]bool{
		"v0.31": true, "0.41.2": true, "v2.0": true, "2.8": true,
		"2.9": false, "v2.10": false, "": false, "v3.0": false,
	} {
		c := &cluster{Cluster: &model.Cluster{FluxVersion: v}}
		if got := c.lenient(); got != want {
			t.Errorf("lenient() with Flux %q = %v, want %v", v, got, want)
		}
	}
}
