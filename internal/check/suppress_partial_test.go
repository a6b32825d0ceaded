package check

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnusedSuppressionsOfPartialRuns checks that a run of some clusters
// only (a shard, named clusters) does not call a suppression unused: in a
// base that two clusters share, it may serve the cluster left out.
func TestUnusedSuppressionsOfPartialRuns(t *testing.T) {
	dir := cacheRepo(t)
	// Only dev has the Service whose port is wrong; the comment in the
	// shared base suppresses nothing anywhere.
	writeTestFile(t, filepath.Join(dir, "apps/dev/svc.yaml"), "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\nspec:\n  ports:\n    # fluxlint:ignore schema-invalid the port is named on purpose\n    - port: eighty\n")
	writeTestFile(t, filepath.Join(dir, "apps/base/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: default\ndata:\n  # fluxlint:ignore schema-invalid nothing here is wrong\n  a: b\n")
	unused := func(cfg Config) string {
		t.Helper()
		cfg.Path, cfg.Offline = dir, true
		res, err := Run(context.Background(), cfg, Deps{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range res.Findings {
			if f.RuleID == RuleSuppressionUnused || f.RuleID == "schema-invalid" {
				out = append(out, f.RuleID+" "+f.Pos.File)
			}
		}
		return strings.Join(out, ", ")
	}
	if got := unused(Config{}); got != "suppression-unused apps/base/cm.yaml" {
		t.Fatalf("whole run: %q, want the base's suppression unused, dev's used", got)
	}
	for _, shard := range []Shard{{1, 2}, {2, 2}} {
		if got := unused(Config{Shard: shard}); got != "" {
			t.Errorf("shard %s: %q, want no unused suppression", shard, got)
		}
	}
	if got := unused(Config{Partial: true}); got != "" {
		t.Errorf("named clusters: %q, want no unused suppression", got)
	}
}
