package operator

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/diskcache/diskcachetest"
)

// TestFluxInstanceSyncKept checks that a sync build kept in the cache
// folder gives the objects a build without a cache gives, that another
// input is built again, and that a damaged record is built again and
// replaced.
func TestFluxInstanceSyncKept(t *testing.T) {
	dir := t.TempDir()
	store := diskcachetest.NewCounting(dir)
	builds := cache.Bucket{Store: store, Name: SyncBucket, Salt: "test"}
	fi := instance(t, `  sync: {kind: GitRepository, url: https://g/x.git, ref: refs/heads/main, path: clusters/a}
  kustomize:
    patches:
      - target: {kind: GitRepository}
        patch: |
          - op: add
            path: /spec/ignore
            value: "/*"
      - patch: |
          apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata: {name: flux-system, namespace: flux-system}
          spec: {prune: false}`)
	build := func(version string, wantHits int) []map[string]any {
		t.Helper()
		want, err := FluxInstanceSync(fi, version, cache.Bucket{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := FluxInstanceSync(fi, version, builds)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("with the cache:\n%s\nwithout:\n%s", dumpObjects(got), dumpObjects(want))
		}
		if hits := store.Take(SyncBucket); hits != wantHits {
			t.Fatalf("%d records served, want %d", hits, wantHits)
		}
		return got
	}
	first := build("v2.6.4", 0)
	if build("v2.6.4", 1); !reflect.DeepEqual(first, build("v2.6.4", 1)) {
		t.Fatal("a kept build changed")
	}
	other := build("v2.7.0", 0) // the version label is one of the build's inputs
	if reflect.DeepEqual(first, other) {
		t.Fatal("another Flux version gave the same objects")
	}

	damaged := map[string]string{}
	err := filepath.WalkDir(filepath.Join(dir, SyncBucket), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		data[len(data)-1] ^= 0xff
		damaged[path] = string(data)
		return os.WriteFile(path, data, 0o600)
	})
	if err != nil || len(damaged) != 2 {
		t.Fatalf("damaged %d records: %v", len(damaged), err)
	}
	build("v2.6.4", 1) // served, does not open, built again and kept
	replaced := 0
	for path, data := range damaged {
		if now, err := os.ReadFile(path); err == nil && string(now) != data {
			replaced++
		}
	}
	if replaced != 1 {
		t.Fatalf("%d damaged records replaced, want 1", replaced)
	}
	build("v2.6.4", 1)
}
