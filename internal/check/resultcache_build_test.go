package check

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestResultCacheAfterAFailedBuild checks that fixing the file that broke
// a build is seen by the next run with the same cache: in a folder without
// kustomization.yaml (Flux's generator fails before any build reads) and in
// one whose kustomization.yaml lists the file (kustomize's build fails).
func TestResultCacheAfterAFailedBuild(t *testing.T) {
	broken := "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\nspec:\n  ports:\n    - port: 80\n      protocol: [TCP\n"
	fixed := "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\nspec:\n  ports:\n    - port: 80\n"
	for name, kustomization := range map[string]string{"generated": "", "kustomization.yaml": "resources:\n  - svc.yaml\n"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeTestFile(t, filepath.Join(dir, "clusters/dev/apps.yaml"), strings.ReplaceAll(cacheKustomization, "CLUSTER", "dev"))
			if kustomization != "" {
				writeTestFile(t, filepath.Join(dir, "apps/dev/kustomization.yaml"), kustomization)
			}
			writeTestFile(t, filepath.Join(dir, "apps/dev/svc.yaml"), broken)
			store := newMemStore()
			first, _ := runCached(t, dir, store)
			if !strings.Contains(first, "render-kustomize-build") {
				t.Fatalf("the broken file should fail the build: %s", first)
			}
			writeTestFile(t, filepath.Join(dir, "apps/dev/svc.yaml"), fixed)
			after, _ := runCached(t, dir, store)
			uncached, _ := runCached(t, dir, nil)
			if after != uncached || strings.Contains(after, "render-kustomize-build") {
				t.Errorf("after the fix, the cached run finds\n%s\nand a run without the cache\n%s", after, uncached)
			}
		})
	}
}
