package render

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// TestPlaceDocFromLayout gives a restored object its source document from
// the layout its record keeps, and refuses what the file does not have:
// a record is untrusted, so a document index out of range, a file without
// a layout or a position in another file leaves the object to
// locateOrigin.
func TestPlaceDocFromLayout(t *testing.T) {
	root := t.TempDir()
	text := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n"
	if err := os.WriteFile(filepath.Join(root, "cm.yaml"), []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	open := func() *source.Repo {
		repo, err := source.Open(root)
		if err != nil {
			t.Fatal(err)
		}
		return repo
	}
	parsed, err := open().File("cm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	l, ok := parsed.Layout()
	if !ok {
		t.Fatal("no layout")
	}
	files := map[string]source.Layout{"cm.yaml": l}
	at := parsed.Docs[1].Pos()
	good := renderedObject{DocFile: "cm.yaml", DocIndex: 1, DocAt: at}
	repo := open()
	obj := &model.Object{}
	if !good.placeDoc(repo, obj, files) {
		t.Fatal("a record's document was not placed")
	}
	if obj.Origin != at || obj.Doc.Index != 1 || obj.Doc.Str("metadata", "name") != "b" {
		t.Errorf("placed at %v, document %d named %q; want %v, 1, b", obj.Origin, obj.Doc.Index, obj.Doc.Str("metadata", "name"), at)
	}
	for name, o := range map[string]renderedObject{
		"no document":    {},
		"index past end": {DocFile: "cm.yaml", DocIndex: 2, DocAt: at},
		"negative index": {DocFile: "cm.yaml", DocIndex: -1, DocAt: at},
		"no layout":      {DocFile: "other.yaml", DocIndex: 0, DocAt: finding.Pos{File: "other.yaml", Line: 1, Col: 1}},
		"another file":   {DocFile: "cm.yaml", DocIndex: 0, DocAt: finding.Pos{File: "other.yaml", Line: 1, Col: 1}},
	} {
		obj := &model.Object{}
		if o.placeDoc(open(), obj, files) || obj.Doc != nil {
			t.Errorf("%s: placed %+v", name, obj)
		}
	}
}

// TestFilesReadFromLayouts takes a file's YAML findings from its layout.
func TestFilesReadFromLayouts(t *testing.T) {
	root := t.TempDir()
	abs := filepath.Join(root, "dup.yaml")
	if err := os.WriteFile(abs, []byte("a: 1\na: 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	repo, err := source.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	parsed, _ := repo.File("dup.yaml")
	l, _ := parsed.Layout()
	if len(l.Findings) != 1 {
		t.Fatalf("layout findings %v, want the duplicate key", l.Findings)
	}
	fresh, err := source.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	paths, fs := filesRead(fresh, []string{filepath.Join(fresh.Root, "dup.yaml")}, map[string]source.Layout{"dup.yaml": l})
	if len(paths) != 1 || paths[0] != "dup.yaml" || !reflect.DeepEqual(fs, l.Findings) {
		t.Errorf("filesRead = %v, %v; want dup.yaml and its finding", paths, fs)
	}
}
