// Command genrepo writes a deterministic Flux monorepo of N clusters and M
// apps for the scaling benchmark (bench/run.sh): every cluster deploys every
// app through a Flux Kustomization of its own (an overlay over the app's
// base, with postBuild substitutions from a ConfigMap and a Secret), and
// every app holds a HelmRelease of a local chart with values and valuesFrom.
//
// Usage: go -C tools run ./genrepo -out DIR -clusters N -apps M
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/fluxlint/fluxlint/internal/monorepo"
)

func main() {
	out := flag.String("out", "", "folder to write the repository into (created; must not hold an older repository)")
	clusters := flag.Int("clusters", 2, "number of clusters")
	apps := flag.Int("apps", 5, "number of apps; every cluster deploys each, so the repository has clusters×apps Flux Kustomizations and as many HelmReleases")
	flag.Parse()
	if err := run(*out, *clusters, *apps); err != nil {
		fmt.Fprintln(os.Stderr, "genrepo:", err)
		os.Exit(2)
	}
}

func run(out string, clusters, apps int) error {
	if out == "" {
		return fmt.Errorf("-out is required")
	}
	if clusters < 1 || apps < 1 {
		return fmt.Errorf("-clusters and -apps must be at least 1")
	}
	return monorepo.Write(out, monorepo.Generate(clusters, apps))
}
