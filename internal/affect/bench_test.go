package affect

import (
	"testing"

	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/source"
)

// BenchmarkSelect measures the static reach of every cluster of a real
// repository, from opening it (nothing parsed yet) to the answer.
func BenchmarkSelect(b *testing.B) {
	const corpus = "../../../shared/corpora/flux2-kustomize-helm-example"
	for b.Loop() {
		repo, err := source.Open(corpus)
		if err != nil {
			b.Skip("corpus not present:", err)
		}
		entries, err := flux.Discover(repo, nil)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Select(repo, entries, []string{"apps/staging/podinfo-values.yaml"}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
