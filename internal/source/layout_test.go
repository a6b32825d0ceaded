package source

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const layoutText = `# a comment
apiVersion: v1
kind: ConfigMap
metadata:
  name: one
data:
  a: b
  a: c
---
# only a comment
---
apiVersion: v1
kind: Secret
metadata:
  name: two
---
key: [unclosed
---
  apiVersion: v1
  kind: Service
  metadata: {name: three}
`

// layoutRepo returns a repository holding layoutText at a.yaml.
func layoutRepo(t *testing.T) *Repo {
	t.Helper()
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "a.yaml"), []byte(layoutText), 0o600); err != nil {
		t.Fatal(err)
	}
	repo, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

// sameFile compares what callers read of two files of the same text.
func sameFile(t *testing.T, got, want *File) {
	t.Helper()
	if !reflect.DeepEqual(got.Findings, want.Findings) || !reflect.DeepEqual(got.Lines, want.Lines) || got.Path != want.Path {
		t.Errorf("file: findings %v, want %v (or other lines or path)", got.Findings, want.Findings)
	}
	if len(got.Docs) != len(want.Docs) {
		t.Fatalf("%d documents, want %d", len(got.Docs), len(want.Docs))
	}
	for i, d := range got.Docs {
		w := want.Docs[i]
		if d.Index != w.Index || d.StartLine != w.StartLine || d.EndLine != w.EndLine || d.Pos() != w.Pos() ||
			!reflect.DeepEqual(d.Object(), w.Object()) || d.PosOf([]string{"metadata", "name"}) != w.PosOf([]string{"metadata", "name"}) {
			t.Errorf("document %d differs: lines %d-%d at %v, want lines %d-%d at %v", i, d.StartLine, d.EndLine, d.Pos(), w.StartLine, w.EndLine, w.Pos())
		}
	}
}

// TestFileOfLayout makes a file from the layout of its parse, and checks
// that its documents, positions, values and findings are those of the
// parse; that a layout which does not fit the text is not used; and that
// a file read already is the one returned.
func TestFileOfLayout(t *testing.T) {
	parsed, err := layoutRepo(t).File("a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	l, ok := parsed.Layout()
	if !ok || len(l.Docs) != 3 || len(l.Findings) != 2 {
		t.Fatalf("Layout = %+v, %v; want 3 documents and 2 findings", l, ok)
	}
	repo := layoutRepo(t)
	f, err := repo.FileOfLayout("a.yaml", l)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Docs {
		if d.node != nil {
			t.Fatal("a file made from its layout parsed a document")
		}
	}
	sameFile(t, f, parsed)
	if again, _ := repo.File("a.yaml"); again != f {
		t.Error("File after FileOfLayout returned another file")
	}
	if again, _ := repo.FileOfLayout("a.yaml", Layout{}); again != f {
		t.Error("FileOfLayout of a file read returned another file")
	}

	for name, bad := range map[string]Layout{
		"shifted":      {Docs: [][2]int{{2, 8}, {13, 17}, {20, 22}}},
		"out of order": {Docs: [][2]int{{12, 16}, {1, 8}}},
		"past the end": {Docs: [][2]int{{1, 8}, {12, 99}}},
	} {
		repo := layoutRepo(t)
		f, err := repo.FileOfLayout("a.yaml", bad)
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Docs) > 0 && f.Docs[0].node == nil {
			t.Errorf("%s: a layout that does not fit the text was used", name)
		}
		sameFile(t, f, parsed)
	}
}

func TestLayoutOfARefusedFile(t *testing.T) {
	f := ParseLimit("many.yaml", []byte(strings.Repeat("a: b\n---\n", 3)), 2)
	if _, ok := f.Layout(); ok || f.Refused == nil {
		t.Errorf("a refused file has a layout (refused: %v)", f.Refused)
	}
}
