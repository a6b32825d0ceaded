package check

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/source"
)

const instanceFile = `apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  sync:
    kind: GitRepository
    url: https://example.com/fleet.git
    ref: refs/heads/main
    path: SYNC
`

// discoverWith discovers the clusters of dir through the facts kept in
// store, and returns their folders and the lines the discovery parsed.
func discoverWith(t *testing.T, dir string, store Store) ([]string, int) {
	t.Helper()
	repo, err := source.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := &cache.FileMemo{}
	repo.Read = files.Add
	facts := newDiscoveryFacts(store, repo, files)
	entries, err := flux.Discover(repo, facts)
	if err != nil {
		t.Fatal(err)
	}
	facts.save()
	var dirs []string
	for _, e := range entries {
		dirs = append(dirs, e.Path)
	}
	slices.Sort(dirs)
	return dirs, repo.ParsedLines()
}

func TestDiscoveryKeepsFactsOfUnchangedFiles(t *testing.T) {
	dir := t.TempDir()
	writeTestFile(t, filepath.Join(dir, "flux/instance.yaml"), replaceSync(instanceFile, "./fleet/one"))
	writeTestFile(t, filepath.Join(dir, "fleet/one/apps.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n")
	writeTestFile(t, filepath.Join(dir, "fleet/two/apps.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n")
	store := newMemStore()

	first, parsed := discoverWith(t, dir, store)
	if !slices.Equal(first, []string{"fleet/one"}) || parsed == 0 {
		t.Fatalf("first run: clusters %v, %d lines parsed; want [fleet/one], some parsed", first, parsed)
	}
	again, parsed := discoverWith(t, dir, store)
	if !slices.Equal(again, first) || parsed != 0 {
		t.Errorf("unchanged repository: clusters %v, %d lines parsed; want %v, none parsed", again, parsed, first)
	}

	// The instance now syncs another folder: its facts are read again.
	writeTestFile(t, filepath.Join(dir, "flux/instance.yaml"), replaceSync(instanceFile, "./fleet/two"))
	changed, parsed := discoverWith(t, dir, store)
	if !slices.Equal(changed, []string{"fleet/two"}) || parsed == 0 {
		t.Errorf("changed instance: clusters %v, %d lines parsed; want [fleet/two], the file parsed", changed, parsed)
	}
}

func TestDiscoveryWithoutStoreKeepsNothing(t *testing.T) {
	if facts := newDiscoveryFacts(nil, nil, nil); facts != nil {
		t.Errorf("facts without a store: %v, want nil", facts)
	}
	var none *discoveryFacts
	none.save() // a run without a cache folder: nothing to write
}

func replaceSync(s, path string) string { return strings.ReplaceAll(s, "SYNC", path) }
