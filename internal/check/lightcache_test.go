package check

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// shardClusters runs one shard of a repository and returns the names of
// its clusters.
func shardClusters(t *testing.T, dir string, shard Shard, store Store) string {
	t.Helper()
	var deps Deps
	if store != nil {
		deps.Store = store
	}
	res, err := Run(context.Background(), Config{Path: dir, Offline: true, CacheDir: t.TempDir(), Shard: shard, Release: true}, deps)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range res.Clusters {
		names = append(names, c.Name)
	}
	return strings.Join(names, ",")
}

// TestLightCache checks that --shard takes the light renders of discovery
// from the cache folder while what they read is unchanged, and renders
// again one whose file changed, so the shards stay those of a run
// without a cache.
func TestLightCache(t *testing.T) {
	dir := cacheRepo(t)
	store := newMemStore()
	first, second := Shard{Index: 1, Total: 2}, Shard{Index: 2, Total: 2}
	// dev is the larger cluster (a Service and a HelmRelease more).
	if got := shardClusters(t, dir, first, nil); got != "dev" {
		t.Fatalf("shard 1/2 without a cache: %q, want dev", got)
	}
	if got := shardClusters(t, dir, first, store); got != "dev" {
		t.Fatalf("shard 1/2, cold cache: %q, want dev", got)
	}
	if hits := store.takeHits(lightBucket); hits != 0 {
		t.Fatalf("cold cache: %d light renders served", hits)
	}
	if got := shardClusters(t, dir, second, store); got != "prod" {
		t.Fatalf("shard 2/2, warm cache: %q, want prod", got)
	}
	if hits := store.takeHits(lightBucket); hits != 2 {
		t.Fatalf("warm cache: %d light renders served, want 2 (dev and prod)", hits)
	}

	// prod grows past dev by a change of content only (the list of files
	// stays): its light render must be done again, and the shards follow.
	writeTestFile(t, filepath.Join(dir, "apps/prod/kustomization.yaml"), "resources:\n  - ../base\nconfigMapGenerator:\n"+
		"  - name: gen-a\n    literals:\n      - a=b\n"+
		"  - name: gen-b\n    literals:\n      - a=b\n  - name: gen-c\n    literals:\n      - a=b\n"+
		"  - name: gen-d\n    literals:\n      - a=b\n  - name: gen-e\n    literals:\n      - a=b\n")
	if got := shardClusters(t, dir, first, nil); got != "prod" {
		t.Fatalf("shard 1/2 without a cache after prod grew: %q, want prod", got)
	}
	if got := shardClusters(t, dir, first, store); got != "prod" {
		t.Fatalf("shard 1/2, warm cache, after prod grew: %q, want prod", got)
	}
	if hits := store.takeHits(lightBucket); hits != 1 {
		t.Fatalf("after prod changed: %d light renders served, want 1 (dev)", hits)
	}
	if got := shardClusters(t, dir, second, store); got != "dev" {
		t.Fatalf("shard 2/2, warm cache, after prod grew: %q, want dev", got)
	}
	if hits := store.takeHits(lightBucket); hits != 2 {
		t.Fatalf("second shard after prod changed: %d light renders served, want 2", hits)
	}
}
