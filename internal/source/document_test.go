package source

import (
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/finding"
)

func TestDocumentMetaAndStr(t *testing.T) {
	f := Parse("f.yaml", []byte(threeDocs))
	tests := []struct {
		name                          string
		doc                           int
		apiVersion, kind, ns, objName string
	}{
		{name: "cluster-less namespace", doc: 0, apiVersion: "v1", kind: "ConfigMap", objName: "one"},
		{name: "all four", doc: 1, apiVersion: "apps/v1", kind: "Deployment", ns: "apps", objName: "two"},
		{name: "no apiVersion", doc: 2, kind: "Secret", objName: "three"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, k, ns, n := f.Docs[tt.doc].Meta()
			if a != tt.apiVersion || k != tt.kind || ns != tt.ns || n != tt.objName {
				t.Errorf("Meta() = %q %q %q %q, want %q %q %q %q", a, k, ns, n, tt.apiVersion, tt.kind, tt.ns, tt.objName)
			}
		})
	}

	d := f.Docs[1]
	strTests := []struct {
		name string
		path []string
		want string
	}{
		{name: "scalar", path: []string{"spec", "template", "spec", "containers", "0", "image"}, want: "nginx"},
		{name: "mapping is not a string", path: []string{"metadata"}, want: ""},
		{name: "sequence is not a string", path: []string{"spec", "template", "spec", "containers"}, want: ""},
		{name: "missing", path: []string{"metadata", "labels"}, want: ""},
		{name: "index into mapping", path: []string{"metadata", "0"}, want: ""},
		{name: "negative index", path: []string{"spec", "template", "spec", "containers", "-1", "image"}, want: ""},
	}
	for _, tt := range strTests {
		t.Run("Str/"+tt.name, func(t *testing.T) {
			if got := d.Str(tt.path...); got != tt.want {
				t.Errorf("Str(%v) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestFileFind(t *testing.T) {
	f := Parse("f.yaml", []byte(threeDocs))
	tests := []struct {
		name, kind, objName string
		want                int
	}{
		{name: "first", kind: "ConfigMap", objName: "one", want: 0},
		{name: "last", kind: "Secret", objName: "three", want: 2},
		{name: "kind of one, name of another", kind: "Deployment", objName: "one", want: -1},
		{name: "missing", kind: "Service", objName: "two", want: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := f.Find(tt.kind, tt.objName)
			if tt.want < 0 {
				if got != nil {
					t.Errorf("Find = document %d, want nil", got.Index)
				}
				return
			}
			if got != f.Docs[tt.want] {
				t.Errorf("Find(%s, %s) = %v, want document %d", tt.kind, tt.objName, got, tt.want)
			}
		})
	}
}

func TestDocumentFindText(t *testing.T) {
	f := Parse("f.yaml", []byte(threeDocs))
	tests := []struct {
		name   string
		doc    int
		text   string
		want   finding.Pos
		wantOK bool
	}{
		{name: "value in own document", doc: 1, text: "envoy", want: pos(18, 18), wantOK: true},
		{name: "first occurrence", doc: 1, text: "image:", want: pos(16, 11), wantOK: true},
		{name: "separator line belongs to the document", doc: 1, text: "---", want: pos(5, 1), wantOK: true},
		{name: "text of another document is not found", doc: 1, text: "ConfigMap"},
		{name: "text of a later document is not found", doc: 0, text: "Secret"},
		{name: "absent", doc: 2, text: "nothing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := f.Docs[tt.doc].FindText(tt.text)
			if ok != tt.wantOK || got != tt.want {
				t.Errorf("FindText(%q) = %v, %v; want %v, %v", tt.text, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestLookupNode(t *testing.T) {
	var doc yaml.Node
	in := "base: &b\n  inner:\n    v: 1\nuse: *b\nlist:\n  - a\n  - b\n"
	if err := yaml.Unmarshal([]byte(in), &doc); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		path      []string
		wantDepth int
		wantKey   string // "" when the located node has no key
		wantValue string // scalar value, or "" for collections
		wantPos   finding.Pos
	}{
		{name: "empty path is the root", path: nil, wantDepth: 0, wantPos: pos(1, 1)},
		{name: "full path from the document node", path: []string{"base", "inner", "v"}, wantDepth: 3, wantKey: "v", wantValue: "1", wantPos: pos(3, 5)},
		{name: "partial depth", path: []string{"base", "inner", "missing", "deeper"}, wantDepth: 2, wantKey: "inner", wantPos: pos(2, 3)},
		{name: "through an alias", path: []string{"use", "inner", "v"}, wantDepth: 3, wantKey: "v", wantValue: "1", wantPos: pos(3, 5)},
		{name: "sequence index", path: []string{"list", "1"}, wantDepth: 2, wantValue: "b", wantPos: pos(7, 5)},
		{name: "non-numeric index", path: []string{"list", "x"}, wantDepth: 1, wantKey: "list", wantPos: pos(5, 1)},
		{name: "past a scalar", path: []string{"list", "0", "x"}, wantDepth: 2, wantValue: "a", wantPos: pos(6, 5)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc, depth := LookupNode(&doc, tt.path)
			if depth != tt.wantDepth {
				t.Errorf("depth = %d, want %d", depth, tt.wantDepth)
			}
			key := ""
			if loc.Key != nil {
				key = loc.Key.Value
			}
			if key != tt.wantKey {
				t.Errorf("key = %q, want %q", key, tt.wantKey)
			}
			if loc.Value == nil {
				t.Fatal("value is nil")
			}
			if loc.Value.Kind == yaml.ScalarNode && loc.Value.Value != tt.wantValue {
				t.Errorf("value = %q, want %q", loc.Value.Value, tt.wantValue)
			}
			if got := loc.Pos("f.yaml"); got != tt.wantPos {
				t.Errorf("Pos = %v, want %v", got, tt.wantPos)
			}
		})
	}
}

func TestDocumentLookupAndObject(t *testing.T) {
	f := Parse("f.yaml", []byte("a:\n  b: 1\n---\n- x\n- y\n---\nplain\n"))
	if len(f.Docs) != 3 {
		t.Fatalf("got %d documents, want 3", len(f.Docs))
	}
	if _, ok := f.Docs[0].Lookup([]string{"a", "b"}); !ok {
		t.Error("Lookup(a.b) not found")
	}
	if _, ok := f.Docs[0].Lookup([]string{"a", "c"}); ok {
		t.Error("Lookup(a.c) found on a partial match")
	}
	obj := f.Docs[0].Object()
	if inner, _ := obj["a"].(map[string]any); inner["b"] != 1 {
		t.Errorf("Object() = %v, want map[a:map[b:1]]", obj)
	}
	for i, d := range f.Docs[1:] {
		if obj := d.Object(); obj != nil {
			t.Errorf("document %d: Object() = %v, want nil for a non-mapping", i+1, obj)
		}
	}
	if got := f.Docs[1].Str("1"); got != "y" {
		t.Errorf("Str(1) on a sequence document = %q, want y", got)
	}
	if got := f.Docs[2].Pos(); got != pos(7, 1) {
		t.Errorf("scalar document Pos = %v, want f.yaml:7:1", got)
	}
}

func TestFindInPrefersTheNamespace(t *testing.T) {
	f := Parse("two.yaml", []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: b\n"))
	if d := f.FindIn("ConfigMap", "b", "app"); d == nil || d.StartLine < 6 {
		t.Errorf("FindIn(b) = %v, want the second document", d)
	}
	if d := f.FindIn("ConfigMap", "c", "app"); d == nil || d.StartLine > 5 {
		t.Errorf("FindIn(c) = %v, want the first document (no namespace matches)", d)
	}
}
