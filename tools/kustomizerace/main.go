// Command kustomizerace builds every overlay of a tools/genrepo repository
// from several goroutines at once, to measure whether the kustomize API in
// use may be called concurrently. Run it under the race detector:
//
//	go -C tools run ./genrepo -out /tmp/repo -clusters 2 -apps 20
//	go -C tools run -race ./kustomizerace -mode krusty /tmp/repo
//
// Modes: "krusty" runs krusty.Kustomizer.Run with no lock after loading
// kustomize's built-in OpenAPI schema once; "reset" also resets the schema
// before every build, as fluxcd/pkg/kustomize Build does under its lock;
// "kbuild" goes through internal/kbuild.Run, which builds one at a time,
// and reads the results (YAML, each resource's scope) in parallel. Each
// build's output is read as fluxlint reads it. The race detector exits 66 when it
// finds a race; otherwise the program prints the builds and the time.
package main

import (
	"flag"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	kustypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/openapi"

	"github.com/fluxlint/fluxlint/internal/kbuild"
)

func main() {
	mode := flag.String("mode", "krusty", "krusty, reset or kbuild")
	workers := flag.Int("workers", 2, "goroutines building at once")
	rounds := flag.Int("rounds", 1, "times every overlay is built")
	flag.Parse()
	if flag.NArg() != 1 || *workers < 1 || *rounds < 1 {
		fmt.Fprintln(os.Stderr, "usage: kustomizerace [-mode krusty|reset|kbuild] [-workers N] [-rounds N] REPO")
		os.Exit(2)
	}
	dirs, err := filepath.Glob(filepath.Join(flag.Arg(0), "apps", "overlays", "*", "*"))
	if err != nil || len(dirs) == 0 {
		fmt.Fprintln(os.Stderr, "kustomizerace: no apps/overlays/*/* in", flag.Arg(0))
		os.Exit(2)
	}
	build, err := builder(*mode)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kustomizerace:", err)
		os.Exit(2)
	}
	start := time.Now()
	n, failed := run(build, dirs, *workers, *rounds)
	fmt.Printf("mode %s, %d workers: %d builds (%d failed) in %s\n", *mode, *workers, n, failed, time.Since(start).Round(time.Millisecond))
	if failed > 0 {
		os.Exit(1)
	}
}

type buildFunc func(dir string) (resmap.ResMap, error)

func builder(mode string) (buildFunc, error) {
	fs := filesys.MakeFsOnDisk()
	opts := &krusty.Options{LoadRestrictions: kustypes.LoadRestrictionsNone, PluginConfig: kustypes.DisabledPluginConfig()}
	switch mode {
	case "krusty":
		_ = openapi.Schema()
		return func(dir string) (resmap.ResMap, error) { return krusty.MakeKustomizer(opts).Run(fs, dir) }, nil
	case "reset":
		return func(dir string) (resmap.ResMap, error) {
			openapi.ResetOpenAPI()
			_ = openapi.Schema()
			return krusty.MakeKustomizer(opts).Run(fs, dir)
		}, nil
	case "kbuild":
		return func(dir string) (resmap.ResMap, error) {
			return kbuild.Run(fs, dir, func() kbuild.Read { return readTree(fs, dir) })
		}, nil
	}
	return nil, fmt.Errorf("unknown mode %q", mode)
}

// readTree returns the files under dir's parent, which genrepo's
// overlays reach, as what a build of dir read; a file that cannot be read
// is left out.
func readTree(fs filesys.FileSystem, dir string) kbuild.Read {
	var kustomizations, files [][]byte
	_ = fs.Walk(filepath.Dir(dir), func(path string, info iofs.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			if data, rerr := fs.ReadFile(path); rerr == nil {
				files = append(files, data)
				if filepath.Base(path) == "kustomization.yaml" {
					kustomizations = append(kustomizations, data)
				}
			}
		}
		return nil
	})
	return kbuild.Read{Kustomizations: kustomizations, Files: func() [][]byte { return files }}
}

// run builds every folder rounds times with workers goroutines and reads
// each result: its YAML and every resource's scope, which kustomize looks
// up in its OpenAPI schema.
func run(build buildFunc, dirs []string, workers, rounds int) (n, failed int) {
	jobs := make(chan string)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for dir := range jobs {
				err := use(build(dir))
				mu.Lock()
				n++
				if err != nil {
					failed++
					fmt.Fprintf(os.Stderr, "%s: %v\n", dir, err)
				}
				mu.Unlock()
			}
		})
	}
	for range rounds {
		for _, d := range dirs {
			jobs <- d
		}
	}
	close(jobs)
	wg.Wait()
	return n, failed
}

func use(res resmap.ResMap, err error) error {
	if err != nil {
		return err
	}
	for _, r := range res.Resources() {
		_ = r.CurId().IsClusterScoped()
	}
	_, err = res.AsYaml()
	return err
}
