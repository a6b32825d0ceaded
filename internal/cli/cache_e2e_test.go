package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCacheNeverChangesOutput checks a real repository four times with
// one cache folder, in every format at once: a cold run, a warm one that
// the cache serves (its stats say so), a run without the cache, and one
// that checks every cluster again from the renders and the schema results
// the cache keeps. All four print the same bytes.
var (
	renderReuse = regexp.MustCompile(`render-v2 (\d+)/(\d+) reused`)
	schemaReuse = regexp.MustCompile(`schema-v3 (\d+)/(\d+) reused`)
)

func TestCacheNeverChangesOutput(t *testing.T) {
	for _, corpus := range []string{"flux2-multi-tenancy", "gitops-fluxcd-demo"} {
		t.Run(corpus, func(t *testing.T) {
			dir := filepath.Join(corpora, corpus)
			if _, err := os.Stat(dir); err != nil {
				t.Skip("corpus not available")
			}
			cache := t.TempDir()
			run := func(extra ...string) (string, string) {
				t.Helper()
				out := t.TempDir()
				args := append([]string{"check", dir, "--offline", "--no-color", "--cache-dir", cache,
					"--format", "json=" + filepath.Join(out, "f.json"), "--format", "sarif=" + filepath.Join(out, "f.sarif"),
					"--format", "junit=" + filepath.Join(out, "f.xml"), "--format", "text"}, extra...)
				var stdout, stderr bytes.Buffer
				if code := Run(context.Background(), args, &stdout, &stderr); code > 1 {
					t.Fatalf("exit %d: %s", code, stderr.String())
				}
				all := stdout.String()
				for _, f := range []string{"f.json", "f.sarif", "f.xml"} {
					data, err := os.ReadFile(filepath.Join(out, f))
					if err != nil {
						t.Fatal(err)
					}
					all += string(data)
				}
				return all, stderr.String()
			}
			t.Setenv("FLUXLINT_STATS", "1")
			cold, coldStats := run()
			warm, warmStats := run()
			uncached, _ := run("--no-cache")
			if !strings.Contains(coldStats, "results-v1 0/") || !strings.Contains(warmStats, "reused") || warmStats == coldStats {
				t.Fatalf("the second run should reuse what the first kept:\ncold: %s\nwarm: %s", coldStats, warmStats)
			}
			if warm != cold {
				t.Errorf("warm output differs from cold")
			}
			// Without the clusters' findings, every cluster is checked again
			// from the renders the cache keeps.
			if err := os.RemoveAll(filepath.Join(cache, "results-v1")); err != nil {
				t.Fatal(err)
			}
			rerendered, stats := run()
			if n := renderReuse.FindStringSubmatch(stats); n == nil || n[1] == "0" || n[1] != n[2] {
				t.Errorf("with the renders kept, every Flux Kustomization should come from the cache: %s", stats)
			}
			if n := schemaReuse.FindStringSubmatch(stats); n == nil || n[1] == "0" || n[1] != n[2] {
				t.Errorf("with the objects unchanged, every cluster's schema results should come from the cache: %s", stats)
			}
			if rerendered != cold {
				t.Errorf("output from cached renders differs from cold")
			}
			if uncached != cold {
				t.Errorf("output without the cache differs from cold")
			}
		})
	}
}
