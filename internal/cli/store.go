package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/diskcache"
	"github.com/fluxlint/fluxlint/internal/helm"
)

// useStore lets a check keep renders and findings in the cache folder
// (--cache-dir, or the user's cache folder) unless noCache is set: a
// second run over unchanged files reads them back instead of rendering.
func useStore(deps *check.Deps, opts check.Config, noCache bool) error {
	if noCache {
		return nil
	}
	dir, err := helm.CacheDirOr(opts.CacheDir)
	if err != nil {
		return err
	}
	deps.Store = &diskcache.Store{Dir: dir}
	return nil
}

// printCacheStats prints, when FLUXLINT_STATS is set, how many lookups of
// each cache found their entry: results-v1 (clusters not rendered),
// render-v2 (Flux Kustomizations not rendered), plan-v2 (kustomization
// files not generated again), kustomize-build-v1 (builds), schema-v3
// (objects not validated again), helm-output-v2 (charts),
// helm-chart-v1 (chart archives not loaded) and discovery-v1 (files
// discovery did not parse). For benchmarks.
func printCacheStats(w io.Writer, res *check.Result) {
	if os.Getenv("FLUXLINT_STATS") == "" {
		return
	}
	fmt.Fprintf(w, "cache: %s\n", res.Cache)
}
