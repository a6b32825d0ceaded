package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseRefusesAliasBombs: a "billion laughs" document is dropped and
// the file refused (kustomize would expand it without end), while a file
// that uses aliases modestly parses.
func TestParseRefusesAliasBombs(t *testing.T) {
	var bomb strings.Builder
	bomb.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		p := "*a" + string(rune('0'+i-1))
		bomb.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" + strings.Repeat(p+", ", 8) + p + "]\n")
	}
	cases := []struct {
		name    string
		text    string
		refused bool
	}{
		{name: "billion laughs", text: bomb.String(), refused: true},
		{name: "modest aliases", text: "base: &b {a: 1, b: 2}\none: *b\ntwo: *b\nthree: {<<: *b, c: 3}\n"},
		{name: "no aliases", text: "a: 1\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := Parse("f.yaml", []byte(c.text))
			if (f.Refused != nil) != c.refused {
				t.Fatalf("refused: %v, want %v", f.Refused, c.refused)
			}
			if c.refused && (len(f.Docs) != 0 || len(f.Findings) != 1 || !strings.Contains(f.Findings[0].Message, "excessive aliasing")) {
				t.Errorf("docs %d, findings %v", len(f.Docs), f.Findings)
			}
		})
	}
}

// TestParseLimitDocuments: a file over the document limit is refused with
// one finding at the first document past the limit.
func TestParseLimitDocuments(t *testing.T) {
	text := strings.Repeat("---\na: 1\n", 5)
	if f := ParseLimit("f.yaml", []byte(text), 5); f.Refused != nil || len(f.Docs) != 5 {
		t.Fatalf("at the limit: refused %v, %d docs", f.Refused, len(f.Docs))
	}
	f := ParseLimit("f.yaml", []byte(text), 3)
	if f.Refused == nil || len(f.Docs) != 0 || len(f.Findings) != 1 {
		t.Fatalf("over the limit: refused %v, %d docs, findings %v", f.Refused, len(f.Docs), f.Findings)
	}
	// The fourth document starts on line 7.
	if got := f.Findings[0].Pos.Line; got != 7 {
		t.Errorf("finding on line %d, want 7", got)
	}
}

// TestFileRefusesLinksOutOfTheRepository: a link to a file outside the
// repository is not read, a link inside it is.
func TestFileRefusesLinksOutOfTheRepository(t *testing.T) {
	base := t.TempDir()
	outside := filepath.Join(base, "outside.yaml")
	root := filepath.Join(base, "repo")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{outside: "secret: x\n", filepath.Join(root, "in.yaml"): "a: 1\n"} {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(root, "out.yaml")); err != nil {
		t.Skip(err)
	}
	if err := os.Symlink("in.yaml", filepath.Join(root, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	repo, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.File("out.yaml"); err == nil || !strings.Contains(err.Error(), "out of the repository") {
		t.Errorf("out.yaml: %v, want a refusal", err)
	}
	if f, err := repo.File("link.yaml"); err != nil || len(f.Docs) != 1 {
		t.Errorf("link.yaml: %v", err)
	}
}

// TestFileRefusesFoldersLinkedOutOfTheRepository checks that a file read
// through a folder that is a symbolic link out of the repository is
// refused, every time and for every file of that folder, while a folder
// linked inside the repository and its real folder are read.
func TestFileRefusesFoldersLinkedOutOfTheRepository(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "repo")
	for name, data := range map[string]string{
		filepath.Join(base, "outside", "a.yaml"):      "secret: a\n",
		filepath.Join(base, "outside", "b.yaml"):      "secret: b\n",
		filepath.Join(root, "apps", "real", "c.yaml"): "c: 1\n",
	} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(base, "outside"), filepath.Join(root, "apps", "out")); err != nil {
		t.Skip(err)
	}
	if err := os.Symlink("real", filepath.Join(root, "apps", "in")); err != nil {
		t.Fatal(err)
	}
	repo, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		for _, rel := range []string{"apps/out/a.yaml", "apps/out/b.yaml"} {
			if _, err := repo.File(rel); err == nil || !strings.Contains(err.Error(), "out of the repository") {
				t.Errorf("%s: %v, want a refusal", rel, err)
			}
		}
		repo.Forget()
	}
	for _, rel := range []string{"apps/real/c.yaml", "apps/in/c.yaml"} {
		if f, err := repo.File(rel); err != nil || len(f.Docs) != 1 {
			t.Errorf("%s: %v", rel, err)
		}
	}
	if _, err := repo.File("apps/real/missing.yaml"); err == nil {
		t.Error("a missing file was read")
	}
	// A missing file is reported as os.Stat reports it, in a folder free
	// of links as in one reached through a link.
	for _, rel := range []string{"apps/real/missing.yaml", "apps/in/missing.yaml"} {
		_, err := repo.File(rel)
		_, want := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
		if err == nil || want == nil || err.Error() != "read "+rel+": "+want.Error() {
			t.Errorf("%s: %v, want read %s: %v", rel, err, rel, want)
		}
	}
}
