package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/monorepo"
)

func TestRunWritesTheRepository(t *testing.T) {
	out := t.TempDir()
	if err := run(out, 2, 2); err != nil {
		t.Fatal(err)
	}
	want := []string{
		".fluxlint.yaml",
		"clusters/cluster-00/flux-system/gotk-sync.yaml",
		"clusters/cluster-01/apps.yaml",
		"clusters/cluster-01/cluster-vars.yaml",
		"apps/base/app-0001/helmrelease.yaml",
		"apps/overlays/cluster-00/app-0001/kustomization.yaml",
		"apps/overlays/cluster-01/app-0000/deployment-patch.yaml",
		"charts/app-0000/Chart.yaml",
		"charts/app-0001/templates/deployment.yaml",
	}
	for _, p := range want {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(p))); err != nil {
			t.Errorf("missing %s: %v", p, err)
		}
	}
	var n int
	err := filepath.WalkDir(out, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// 1 config + 2 clusters × (5 files + 2 apps × 2 overlay files) + 2 apps × (7 base + 6 chart files).
	if want := 1 + 2*(5+2*2) + 2*(7+6); n != want {
		t.Errorf("wrote %d files, want %d", n, want)
	}
	apps, err := os.ReadFile(filepath.Join(out, "clusters", "cluster-01", "apps.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(apps), "kind: Kustomization\n"); got != 2 {
		t.Errorf("apps.yaml holds %d Kustomizations, want 2", got)
	}
	if !strings.Contains(string(apps), "path: ./apps/overlays/cluster-01/app-0001") {
		t.Errorf("apps.yaml does not point at the cluster's overlay:\n%s", apps)
	}
	for p, text := range monorepo.Generate(2, 2) {
		for _, key := range []string{"{{APP}}", "{{CLUSTER}}", "{{TIER}}", "{{PORT}}", "{{INDEX}}", "{{REPLICAS}}", "{{CPU}}"} {
			if strings.Contains(text, key) {
				t.Errorf("%s: placeholder %s left unfilled", p, key)
			}
		}
	}
}

func TestRunRejectsBadArguments(t *testing.T) {
	if err := run("", 1, 1); err == nil {
		t.Error("no -out: no error")
	}
	if err := run(t.TempDir(), 0, 1); err == nil {
		t.Error("0 clusters: no error")
	}
}
