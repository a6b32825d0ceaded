package render

import (
	"os"
	"path/filepath"
	"testing"
)

// writeTree writes files (slash-separated paths) under a new folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for rel, body := range files {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestArtifactReincludesBelowExcludedFolder follows source-controller's
// archive: every file is matched by its own path, so "!/k8s/global"
// brings k8s/global back although "/*" excludes the folder k8s.
func TestArtifactReincludesBelowExcludedFolder(t *testing.T) {
	root := writeTree(t, map[string]string{
		"k8s/global/vars/cm.yaml": "a: 1\n",
		"k8s/global/README.md":    "x\n",
		"k8s/other/cm.yaml":       "a: 1\n",
		"archive/cluster/cm.yaml": "a: 1\n",
		"deploy/nested/cm.yaml":   "a: 1\n",
		"sub/.sourceignore":       "/*\n!/keep\n",
		"sub/keep/deep/cm.yaml":   "a: 1\n",
		"sub/drop/cm.yaml":        "a: 1\n",
	})
	a, err := NewArtifact(root, "/*\n!/k8s/global\n!/deploy\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		rel   string
		dir   bool
		want  bool
		cause string
	}{
		{"k8s/global/vars/cm.yaml", false, false, "re-included below an excluded folder"},
		{"k8s", true, false, "holds a re-included file"},
		{"k8s/global", true, false, "re-included"},
		{"k8s/other", true, true, "excluded, nothing below re-included"},
		{"k8s/other/cm.yaml", false, true, "excluded by /*"},
		{"archive", true, true, "excluded, nothing below re-included"},
		{"archive/cluster/cm.yaml", false, true, "excluded by /*"},
		{"deploy/nested/cm.yaml", false, false, "re-included top-level folder"},
	} {
		if got := a.Ignored(filepath.Join(root, filepath.FromSlash(c.rel)), c.dir); got != c.want {
			t.Errorf("Ignored(%s) = %v, want %v (%s)", c.rel, got, c.want, c.cause)
		}
	}
}

// TestArtifactReincludesInSourceignore reads a re-inclusion from a
// folder's .sourceignore, scoped to that folder.
func TestArtifactReincludesInSourceignore(t *testing.T) {
	root := writeTree(t, map[string]string{
		"sub/.sourceignore":     "/*\n!/keep/deep\n",
		"sub/keep/deep/cm.yaml": "a: 1\n",
		"sub/keep/cm.yaml":      "a: 1\n",
		"top/cm.yaml":           "a: 1\n",
	})
	a, err := NewArtifact(root, "")
	if err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]bool{"sub/keep/deep/cm.yaml": false, "sub/keep/cm.yaml": true, "top/cm.yaml": false} {
		if got := a.Ignored(filepath.Join(root, filepath.FromSlash(rel)), false); got != want {
			t.Errorf("Ignored(%s) = %v, want %v", rel, got, want)
		}
	}
	if a.Ignored(filepath.Join(root, "sub", "keep"), true) {
		t.Error("sub/keep holds a re-included file but is ignored")
	}
}

// TestArtifactExcludedFolderWithoutReinclusion keeps the plain case: an
// excluded folder hides everything below it.
func TestArtifactExcludedFolderWithoutReinclusion(t *testing.T) {
	root := writeTree(t, map[string]string{"old/app/cm.yaml": "a: 1\n", "apps/cm.yaml": "a: 1\n"})
	a, err := NewArtifact(root, "/old/\n")
	if err != nil {
		t.Fatal(err)
	}
	if !a.Ignored(filepath.Join(root, "old", "app"), true) || !a.Ignored(filepath.Join(root, "old", "app", "cm.yaml"), false) {
		t.Error("a folder below an excluded one is kept")
	}
	if a.Ignored(filepath.Join(root, "apps", "cm.yaml"), false) {
		t.Error("apps/cm.yaml is excluded")
	}
}

// TestArtifactDefaultExclusionsOnlyWithoutRules follows
// SourceIgnoreFilter: a source with ignore rules of its own loses the
// default exclusions (.sops.yaml here), never the .git folder.
func TestArtifactDefaultExclusionsOnlyWithoutRules(t *testing.T) {
	root := writeTree(t, map[string]string{"apps/.sops.yaml": "creation_rules: []\n", ".git/config": "x\n"})
	plain, err := NewArtifact(root, "")
	if err != nil {
		t.Fatal(err)
	}
	if !plain.Ignored(filepath.Join(root, "apps", ".sops.yaml"), false) {
		t.Error("without rules, apps/.sops.yaml is kept")
	}
	ruled, err := NewArtifact(root, "/docs\n")
	if err != nil {
		t.Fatal(err)
	}
	if ruled.Ignored(filepath.Join(root, "apps", ".sops.yaml"), false) {
		t.Error("with spec.ignore, apps/.sops.yaml is left out")
	}
	if !ruled.Ignored(filepath.Join(root, ".git"), true) {
		t.Error("with spec.ignore, .git is kept")
	}
}
