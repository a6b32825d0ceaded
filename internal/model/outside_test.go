package model

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/fluxlint/fluxlint/internal/source"
)

// TestOutsideLeavesOtherClustersTheirFiles checks that an object defined
// under another cluster's entry folder is that cluster's, not one applied
// by hand beside this cluster's renders, while one in a bootstrap folder
// of no cluster still is.
func TestOutsideLeavesOtherClustersTheirFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"clusters/staging/infra.yaml":   "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: infra-controllers\n",
		"clusters/production/apps.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: apps\n",
		"bootstrap/secret.yaml":         "apiVersion: v1\nkind: Secret\nmetadata:\n  name: sops-age\n",
	}
	for rel, text := range files {
		path := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	repo, err := source.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	clusters := []string{"clusters/production", "clusters/staging"}
	o := NewOutside(repo, []string{"clusters/production/apps.yaml"}, "clusters/production", clusters, nil)
	if pos, ok := o.Find("Kustomization", "infra-controllers"); ok {
		t.Errorf("staging's Kustomization found outside production's renders at %v", pos)
	}
	if _, ok := o.Find("Secret", "sops-age"); !ok {
		t.Error("the bootstrap Secret is not found outside the renders")
	}
	alone := NewOutside(repo, nil, ".", []string{"."}, nil)
	if _, ok := alone.Find("Kustomization", "infra-controllers"); !ok {
		t.Error("a cluster at the root does not see the files of its own folders")
	}
}

// TestTerritory pins which folder of the repository is another cluster's:
// the folder holding its entry just below where the two entries part.
func TestTerritory(t *testing.T) {
	for _, c := range []struct{ entry, other, want string }{
		{"kubernetes/main/cluster/config", "kubernetes/staging/cluster/config", "kubernetes/staging"},
		{"clusters/dev", "clusters/prod", "clusters/prod"},
		{"clusters/prod-eu", "clusters/prod", "clusters/prod"},
		{"cluster", "staging/cluster", "staging"},
		{"kubernetes/flux", "kubernetes/flux/staging/sync", "kubernetes/flux/staging"},
	} {
		if got := territory(c.entry, c.other); got != c.want {
			t.Errorf("territory(%q, %q) = %q, want %q", c.entry, c.other, got, c.want)
		}
	}
}
