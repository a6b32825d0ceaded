package source

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// listingOf hashes the paths of a tree as the result cache did before the
// repository's walk gave them (a walk of its own).
func listingOf(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(root, p)
		_, _ = io.WriteString(h, rel)
		_, _ = h.Write([]byte{0})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestListing checks that the listing from the repository's walk is the
// hash of every path but the .git folder's, YAML or not, that it is the
// same before and after a WalkYAML, and that another file changes it.
func TestListing(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"a.yaml": "a: 1\n", "README.md": "x", "b/c.yml": "c: 1\n", "b/d/e.txt": "e",
		".git/config": "x", ".git/objects/x.yaml": "x: 1\n", "sub/.git": "gitdir: ../.git\n",
	})
	want := listingOf(t, root)
	repo, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := repo.Listing()
	if err != nil || got != want {
		t.Fatalf("Listing() = %q, %v, want %q", got, err, want)
	}
	var yaml []string
	if err := repo.WalkYAML(nil, func(rel string) { yaml = append(yaml, rel) }); err != nil {
		t.Fatal(err)
	}
	if len(yaml) != 2 {
		t.Errorf("WalkYAML after Listing: %v", yaml)
	}
	if again, err := repo.Listing(); err != nil || again != want {
		t.Errorf("a second Listing() = %q, %v", again, err)
	}
	if err := os.WriteFile(filepath.Join(root, "b", "new.txt"), []byte("n"), 0o600); err != nil {
		t.Fatal(err)
	}
	other, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := other.Listing(); err != nil || got == want || got != listingOf(t, root) {
		t.Errorf("Listing() with another file = %q, %v", got, err)
	}
}
