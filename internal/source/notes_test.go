package source

import (
	"os"
	"path/filepath"
	"testing"
)

// TestNote checks that Mentions of a noted text is answered from the
// bytes first read in the run, for files read after Note (by Mentions of
// another text, or by a parse), even once the file changed or the parsed
// files were forgotten; and that other texts and files read before Note
// are read again.
func TestNote(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"a.yaml":      "a: 1 # fluxlint:ignore x y\n",
		"b.yaml":      "b: 1\n",
		"c.yaml":      "c: 1\n",
		"early.yaml":  "e: 1\n",
		"parsed.yaml": "p: 1\n",
	})
	repo, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if repo.Mentions("early.yaml", "kind:") {
		t.Fatal("early.yaml mentions kind:")
	}
	repo.Note("fluxlint:ignore")
	repo.Note("")
	for _, rel := range []string{"a.yaml", "b.yaml", "c.yaml"} {
		repo.Mentions(rel, "kind:") // the searches of a run read the files
	}
	if _, err := repo.File("parsed.yaml"); err != nil {
		t.Fatal(err)
	}
	repo.Forget()
	for _, rel := range []string{"a.yaml", "b.yaml", "early.yaml", "parsed.yaml"} {
		if err := os.WriteFile(filepath.Join(root, rel), []byte("changed: fluxlint:ignore\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(filepath.Join(root, "c.yaml")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		rel, text string
		want      bool
	}{
		{"a.yaml", "fluxlint:ignore", true},       // noted
		{"b.yaml", "fluxlint:ignore", false},      // noted, not read again
		{"c.yaml", "fluxlint:ignore", false},      // noted, though gone since
		{"parsed.yaml", "fluxlint:ignore", false}, // noted by the parse
		{"early.yaml", "fluxlint:ignore", true},   // read before Note: read now
		{"b.yaml", "changed", true},               // not noted: read now
		{"missing.yaml", "fluxlint:ignore", true},
	}
	for _, tt := range tests {
		if got := repo.Mentions(tt.rel, tt.text); got != tt.want {
			t.Errorf("Mentions(%s, %q) = %v, want %v", tt.rel, tt.text, got, tt.want)
		}
	}
}

// TestReadHook checks that Read is given each file the repository reads
// from disk, once for a search and the parse that follows it, with its
// absolute path and bytes.
func TestReadHook(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"a.yaml": "a: 1\n", "b.yaml": "b: 1\n"})
	repo, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	repo.Read = func(abs string, data []byte) { got[abs] += string(data) }
	repo.Mentions("a.yaml", "a")
	if _, err := repo.File("a.yaml"); err != nil {
		t.Fatal(err)
	}
	if _, err := repo.File("b.yaml"); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{repo.Abs("a.yaml"): "a: 1\n", repo.Abs("b.yaml"): "b: 1\n"}
	if len(got) != len(want) || got[repo.Abs("a.yaml")] != want[repo.Abs("a.yaml")] || got[repo.Abs("b.yaml")] != want[repo.Abs("b.yaml")] {
		t.Errorf("Read was given %q, want %q", got, want)
	}
}
