package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCacheAfterChangeMatchesNoCache changes one HelmRelease of a copy of a
// real repository after a cold run filled the cache folder, as
// bench/real.sh's one-change run does, and checks that the run that uses
// the cache (renders of the unchanged Kustomizations and the schema results
// of unchanged objects restored) prints what a run without the cache does.
func TestCacheAfterChangeMatchesNoCache(t *testing.T) {
	src := filepath.Join(corpora, "gitops-fluxcd-demo")
	if _, err := os.Stat(src); err != nil {
		t.Skip("corpus not available")
	}
	dir := filepath.Join(t.TempDir(), "repo")
	copyTree(t, src, dir)
	cache := t.TempDir()
	run := func(extra ...string) (string, string) {
		t.Helper()
		args := append([]string{"check", dir, "--offline", "--no-color", "--cache-dir", cache, "--format", "json"}, extra...)
		var stdout, stderr bytes.Buffer
		if code := Run(context.Background(), args, &stdout, &stderr); code > 1 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		return stdout.String(), stderr.String()
	}
	t.Setenv("FLUXLINT_STATS", "1")
	before, _ := run()

	release := filepath.Join(dir, "fluxcd/services/base/whoami-helmrelease/helmrelease.yaml")
	data, err := os.ReadFile(release)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(data), `path: "whoami-helm2"`, `path: "whoami-helm3"`, 1)
	changed = strings.Replace(changed, "interval: 1m0s", "interval: every minute", 1)
	if changed == string(data) {
		t.Fatal("the corpus's HelmRelease is not as the test expects")
	}
	if err := os.WriteFile(release, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	after, stats := run()
	n := renderReuse.FindStringSubmatch(stats)
	if n == nil || n[1] == "0" || n[1] == n[2] {
		t.Errorf("after one change, some renders but not all should come from the cache: %s", stats)
	}
	uncached, _ := run("--no-cache")
	if after != uncached {
		t.Errorf("output after one change with the cache differs from a run without it:\n%s\nwithout:\n%s", after, uncached)
	}
	if after == before {
		t.Error("the change made no difference to the findings: the test proves nothing")
	}
}
