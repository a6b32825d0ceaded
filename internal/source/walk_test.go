package source

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestWalkYAMLReplays checks that the walks after the first, which replay
// it, call skip and fn as the first did, skipping what skip says below a
// folder, and that Mentions and File read the same bytes.
func TestWalkYAMLReplays(t *testing.T) {
	root := t.TempDir()
	for _, rel := range []string{"a.yaml", "b/c.yml", "b/d/e.yaml", "b/d/notes.txt", "b2/f.yaml", ".git/config.yaml", "g/h.yaml"} {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("kind: "+rel+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	repo, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	walk := func(skipDir string) (files, dirs []string) {
		t.Helper()
		err := repo.WalkYAML(func(rel string, dir bool) bool {
			if dir {
				dirs = append(dirs, rel)
			}
			return rel == skipDir || rel == "g/h.yaml"
		}, func(rel string) { files = append(files, rel) })
		if err != nil {
			t.Fatal(err)
		}
		return files, dirs
	}
	for i := range 2 {
		files, dirs := walk("")
		if want := []string{"a.yaml", "b/c.yml", "b/d/e.yaml", "b2/f.yaml"}; !slices.Equal(files, want) {
			t.Errorf("walk %d: files %q, want %q", i, files, want)
		}
		if want := []string{"b", "b/d", "b2", "g"}; !slices.Equal(dirs, want) {
			t.Errorf("walk %d: folders %q, want %q", i, dirs, want)
		}
		files, dirs = walk("b")
		if want := []string{"a.yaml", "b2/f.yaml"}; !slices.Equal(files, want) {
			t.Errorf("walk %d skipping b: files %q, want %q", i, files, want)
		}
		if want := []string{"b", "b2", "g"}; !slices.Equal(dirs, want) {
			t.Errorf("walk %d skipping b: folders %q, want %q", i, dirs, want)
		}
	}
	if !repo.Mentions("b/c.yml", "b/c.yml") || repo.Mentions("b/c.yml", "other") {
		t.Error("Mentions does not find what b/c.yml holds")
	}
	f, err := repo.File("b/c.yml")
	if err != nil || len(f.Docs) != 1 || f.Docs[0].Str("kind") != "b/c.yml" {
		t.Errorf("b/c.yml after Mentions: %v", err)
	}
	if len(repo.texts) != 0 {
		t.Errorf("the bytes of a parsed file are still kept: %d files", len(repo.texts))
	}
}

// TestWalkKeptMatchesRulesOnce checks that the rules of a named walk are
// made and matched by the first call only, the later calls replaying the
// files kept, that another name walks with its own rules, and that a
// failure to make the rules is not remembered.
func TestWalkKeptMatchesRulesOnce(t *testing.T) {
	root := t.TempDir()
	for _, rel := range []string{"a.yaml", "b/c.yaml", "d/e.yaml"} {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("kind: X\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	repo, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	made, matched := 0, 0
	rules := func(skipped string) func() (func(string, bool) bool, error) {
		return func() (func(string, bool) bool, error) {
			made++
			return func(rel string, _ bool) bool { matched++; return rel == skipped }, nil
		}
	}
	walk := func(name, skipped string) []string {
		t.Helper()
		var files []string
		if err := repo.WalkKept(name, rules(skipped), func(rel string) { files = append(files, rel) }); err != nil {
			t.Fatal(err)
		}
		return files
	}
	for i := range 2 {
		if got, want := walk("root", "b"), []string{"a.yaml", "d/e.yaml"}; !slices.Equal(got, want) {
			t.Errorf("walk %d: files %q, want %q", i, got, want)
		}
	}
	if made != 1 || matched != 4 {
		t.Errorf("two walks made the rules %d times and matched them %d times, want 1 and 4", made, matched)
	}
	if got, want := walk("other", "d"), []string{"a.yaml", "b/c.yaml"}; !slices.Equal(got, want) {
		t.Errorf("another name: files %q, want %q", got, want)
	}
	failed := errors.New("no rules")
	err = repo.WalkKept("failing", func() (func(string, bool) bool, error) { return nil, failed }, func(string) {})
	if !errors.Is(err, failed) {
		t.Errorf("WalkKept with failing rules = %v, want %v", err, failed)
	}
	if got, want := walk("failing", ""), []string{"a.yaml", "b/c.yaml", "d/e.yaml"}; !slices.Equal(got, want) {
		t.Errorf("after a failure: files %q, want %q", got, want)
	}
}
