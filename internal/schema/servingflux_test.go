package schema

import (
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// TestServingFlux: the release assumed for a cluster that names none is
// the newest that serves the Flux apiVersions its objects use; the newest
// ("") when it serves them, or when no release serves them together.
// Kinds of other groups do not count.
func TestServingFlux(t *testing.T) {
	obj := func(apiVersion, kind string) *model.Object {
		return &model.Object{Ref: finding.ObjectRef{APIVersion: apiVersion, Kind: kind}}
	}
	newest := FluxVersions()[len(FluxVersions())-1]
	for _, tc := range []struct {
		name string
		objs []*model.Object
		want string
	}{
		{"current apiVersions", []*model.Object{obj("kustomize.toolkit.fluxcd.io/v1", "Kustomization"), obj("apps/v1", "Deployment")}, ""},
		{"v1beta1 Kustomization", []*model.Object{obj("kustomize.toolkit.fluxcd.io/v1beta1", "Kustomization"), obj("kustomize.toolkit.fluxcd.io/v1", "Kustomization")}, "2.6"},
		{"v1beta2 OCIRepository", []*model.Object{obj("source.toolkit.fluxcd.io/v1beta2", "OCIRepository")}, "2.7"},
		{"no release serves both", []*model.Object{obj("kustomize.toolkit.fluxcd.io/v1beta1", "Kustomization"), obj("source.toolkit.fluxcd.io/v1", "ExternalArtifact")}, ""},
		{"a kind of no release", []*model.Object{obj("kustomize.toolkit.fluxcd.io/v1", "Kustomisation")}, ""},
		{"other groups", []*model.Object{obj("extensions/v1beta1", "Ingress"), obj("fluxcd.controlplane.io/v1", "FluxInstance")}, ""},
	} {
		got := servingFlux(tc.objs)
		if got != tc.want {
			t.Errorf("%s: servingFlux = %q, want %q (newest %s)", tc.name, got, tc.want, newest)
		}
	}
}
