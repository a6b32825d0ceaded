package affect

import (
	"slices"
	"testing"

	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/source"
)

// TestCorpora checks the reach on real repositories, read in place.
func TestCorpora(t *testing.T) {
	repo, err := source.Open("../../../shared/corpora/flux2-kustomize-helm-example")
	if err != nil {
		t.Skip("corpus not present:", err)
	}
	entries, err := flux.Discover(repo, nil)
	if err != nil {
		t.Fatal(err)
	}
	for changed, want := range map[string][]string{
		"apps/staging/podinfo-values.yaml":             {"staging"},
		"apps/production/kustomization.yaml":           {"production"},
		"apps/base/podinfo/release.yaml":               {"production", "staging"},
		"infrastructure/controllers/cert-manager.yaml": {"production", "staging"},
		"clusters/staging/apps.yaml":                   {"staging"},
		"README.md":                                    {},
		".github/workflows/test.yaml":                  {},
	} {
		if got := selected(t, repo, entries, Options{}, changed); !slices.Equal(got, want) {
			t.Errorf("changed %s: affected %v, want %v", changed, got, want)
		}
	}
	for _, e := range entries {
		r, err := Compute(repo, e.Path, Options{})
		if err != nil || r.All {
			t.Errorf("cluster %s: unresolved: %+v, %v", e.Name, r, err)
		}
	}
}
