package check

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/schema"
	"github.com/fluxlint/fluxlint/internal/source"
)

// memStore is a Store in memory.
type memStore struct {
	mu    sync.Mutex
	blobs map[string][]byte
	// hits counts the blobs served, by bucket: found, and not written
	// again because they no longer stood.
	hits  map[string]int
	found map[string]bool
}

func newMemStore() *memStore {
	return &memStore{blobs: map[string][]byte{}, hits: map[string]int{}, found: map[string]bool{}}
}

func (m *memStore) Get(bucket, key string) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.blobs[bucket+"/"+key]
	if ok {
		m.hits[bucket]++
		m.found[bucket+"/"+key] = true
	}
	return b, ok
}

// takeHits returns the hits of a bucket since the last call.
func (m *memStore) takeHits(bucket string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := m.hits[bucket]
	m.hits[bucket] = 0
	return n
}

func (m *memStore) Put(bucket, key string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.found[bucket+"/"+key] {
		m.hits[bucket]--
		delete(m.found, bucket+"/"+key)
	}
	m.blobs[bucket+"/"+key] = data
	return nil
}

const cacheKustomization = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/CLUSTER
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`

// cacheRepo writes a repository of two clusters that share a base; dev
// also installs a local chart.
func cacheRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"clusters/dev/apps.yaml":            strings.ReplaceAll(cacheKustomization, "CLUSTER", "dev"),
		"clusters/prod/apps.yaml":           strings.ReplaceAll(cacheKustomization, "CLUSTER", "prod"),
		"apps/base/kustomization.yaml":      "resources:\n  - cm.yaml\n",
		"apps/base/cm.yaml":                 "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: default\ndata:\n  a: b\n",
		"apps/dev/kustomization.yaml":       "resources:\n  - ../base\n  - svc.yaml\n  - release.yaml\n",
		"apps/dev/svc.yaml":                 "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\nspec:\n  ports:\n    - port: eighty\n",
		"apps/dev/release.yaml":             "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: default\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: ./charts/web\n      sourceRef:\n        kind: GitRepository\n        name: flux-system\n        namespace: flux-system\n  values:\n    port: 80\n",
		"apps/prod/kustomization.yaml":      "resources:\n  - ../base\n",
		"charts/web/Chart.yaml":             "apiVersion: v2\nname: web\nversion: 1.0.0\n",
		"charts/web/templates/service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: chart-web\nspec:\n  ports:\n    - port: {{ .Values.port }}\n",
	}
	for name, data := range files {
		writeTestFile(t, filepath.Join(dir, name), data)
	}
	return dir
}

func writeTestFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runCached checks a repository with a store and returns the findings as
// JSON and the names of the clusters that were rendered (not restored).
func runCached(t *testing.T, dir string, store Store) (string, []string) {
	t.Helper()
	res, err := Run(context.Background(), Config{Path: dir, Offline: true, CacheDir: t.TempDir()}, Deps{Store: store})
	if err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(res.Findings)
	if err != nil {
		t.Fatal(err)
	}
	var rendered []string
	for _, c := range res.Clusters {
		if c.Restored == nil {
			rendered = append(rendered, c.Name)
		}
	}
	return string(out), rendered
}

// TestResultCache checks that a second run restores every cluster with the
// same findings, that a changed file re-renders only the clusters that
// read it, that a chart file counts as read, and that a new file
// re-renders them all.
func TestResultCache(t *testing.T) {
	dir := cacheRepo(t)
	store := newMemStore()
	uncached, _ := runCached(t, dir, nil)
	if !strings.Contains(uncached, "apps/dev/svc.yaml") {
		t.Fatalf("the repository should have a schema finding for port eighty: %s", uncached)
	}
	cold, rendered := runCached(t, dir, store)
	if cold != uncached || len(rendered) != 2 {
		t.Fatalf("cold run: rendered %v, findings differ from a run without a cache:\n%s\n%s", rendered, cold, uncached)
	}
	warm, rendered := runCached(t, dir, store)
	if warm != cold || len(rendered) != 0 {
		t.Fatalf("warm run: rendered %v, want none; findings same: %v", rendered, warm == cold)
	}

	writeTestFile(t, filepath.Join(dir, "apps/dev/svc.yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\nspec:\n  ports:\n    - port: 80\n")
	store.takeHits("kustomize-build-v1")
	store.takeHits("render-v2")
	fixed, rendered := runCached(t, dir, store)
	if strings.Join(rendered, ",") != "dev" || strings.Contains(fixed, "apps/dev/svc.yaml") {
		t.Fatalf("after a dev file changed: rendered %v (want dev), findings %s", rendered, fixed)
	}
	// dev's entry folder comes from the render cache; apps, which read
	// the changed file, is built and substituted again.
	if hits := store.takeHits("render-v2"); hits != 1 {
		t.Errorf("renders served from the cache: %d, want 1 (clusters/dev)", hits)
	}
	if hits := store.takeHits("kustomize-build-v1"); hits != 0 {
		t.Errorf("kustomize builds served from the cache: %d, want none", hits)
	}
	if again, _ := runCached(t, dir, nil); again != fixed {
		t.Fatalf("a run without the cache finds otherwise:\n%s\n%s", again, fixed)
	}

	writeTestFile(t, filepath.Join(dir, "charts/web/templates/service.yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: chart-web\nspec:\n  ports:\n    - port: {{ .Values.port | quote }}x\n")
	broken, rendered := runCached(t, dir, store)
	if strings.Join(rendered, ",") != "dev" || broken == fixed {
		t.Fatalf("after a chart template changed: rendered %v (want dev), findings unchanged: %v", rendered, broken == fixed)
	}
	if again, _ := runCached(t, dir, nil); again != broken {
		t.Fatalf("a run without the cache finds otherwise:\n%s\n%s", again, broken)
	}

	writeTestFile(t, filepath.Join(dir, "apps/base/extra.txt"), "new")
	_, rendered = runCached(t, dir, store)
	if len(rendered) != 2 {
		t.Fatalf("after a new file: rendered %v, want both clusters", rendered)
	}
	if _, uncachedAgain := runCached(t, dir, nil); len(uncachedAgain) != 2 {
		t.Fatal("a run without a store renders everything")
	}
}

// TestResultCacheKeepsClusterVersions checks that a restored cluster has
// the versions and Flux Operator flag its findings were made with.
func TestResultCacheKeepsClusterVersions(t *testing.T) {
	dir := cacheRepo(t)
	repo, err := source.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	rc := newResultCache(Config{Path: dir}, newMemStore(), repo, nil, &cache.FileMemo{})
	c := &model.Cluster{Name: "prod", Path: "clusters/prod", FilesRead: []string{"clusters/prod/apps.yaml"},
		FluxVersion: "2.6", KubernetesVersion: "1.35", Operator: true}
	cache := NewCache()
	cache.store(c, []finding.Finding{{RuleID: schema.RuleFluxVersion, Cluster: "prod"}})
	rc.save([]*model.Cluster{c}, cache, nil)
	got, fs, ok := rc.load(context.Background(), flux.Entry{Name: c.Name, Path: c.Path})
	if !ok || len(fs) != 1 {
		t.Fatalf("load: %v, %d findings; want the cluster's record", ok, len(fs))
	}
	if got.FluxVersion != "2.6" || got.KubernetesVersion != "1.35" || !got.Operator {
		t.Errorf("restored Flux %q, Kubernetes %q, Operator %v; want 2.6, 1.35, true",
			got.FluxVersion, got.KubernetesVersion, got.Operator)
	}
}

// TestResultKeyFollowsTheRepositoryURLs: which sources are this repository
// (its Git remotes among them, outside the files a record lists) decides
// what a cluster renders, so another set of URLs is another key.
func TestResultKeyFollowsTheRepositoryURLs(t *testing.T) {
	opts := Config{Path: t.TempDir()}
	a, errA := configKey(opts, []string{"github.com/me/home-ops"})
	b, errB := configKey(opts, []string{"github.com/me/other"})
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if a == b {
		t.Error("the result key does not change with the repository's URLs")
	}
}
