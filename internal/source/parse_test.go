package source

import (
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/finding"
)

func pos(line, col int) finding.Pos { return finding.Pos{File: "f.yaml", Line: line, Col: col} }

func rules(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.RuleID)
	}
	return out
}

const threeDocs = `apiVersion: v1
kind: ConfigMap
metadata:
  name: one
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: two
  namespace: apps
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx
        - name: sidecar
          image: envoy
---
kind: Secret
metadata:
  name: three
`

func TestParsePositionsAcrossSeparators(t *testing.T) {
	f := Parse("f.yaml", []byte(threeDocs))
	if len(f.Findings) != 0 {
		t.Fatalf("findings = %v, want none", f.Findings)
	}
	if len(f.Docs) != 3 {
		t.Fatalf("got %d documents, want 3", len(f.Docs))
	}
	tests := []struct {
		name string
		doc  int
		path []string
		want finding.Pos
	}{
		{name: "root of first document", doc: 0, path: nil, want: pos(1, 1)},
		{name: "key in first document", doc: 0, path: []string{"metadata", "name"}, want: pos(4, 3)},
		{name: "root of second document", doc: 1, path: nil, want: pos(6, 1)},
		{name: "nested key", doc: 1, path: []string{"metadata", "namespace"}, want: pos(10, 3)},
		{name: "sequence item has no key, value position", doc: 1, path: []string{"spec", "template", "spec", "containers", "1"}, want: pos(17, 11)},
		{name: "key inside sequence item", doc: 1, path: []string{"spec", "template", "spec", "containers", "1", "image"}, want: pos(18, 11)},
		{name: "missing leaf gives deepest ancestor", doc: 1, path: []string{"spec", "template", "spec", "volumes"}, want: pos(13, 5)},
		{name: "index out of range gives the sequence key", doc: 1, path: []string{"spec", "template", "spec", "containers", "7"}, want: pos(14, 7)},
		{name: "third document", doc: 2, path: []string{"metadata", "name"}, want: pos(22, 3)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := f.Docs[tt.doc]
			if d.Index != tt.doc {
				t.Errorf("Index = %d, want %d", d.Index, tt.doc)
			}
			if got := d.PosOf(tt.path); got != tt.want {
				t.Errorf("PosOf(%v) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
	spans := [][2]int{}
	for _, d := range f.Docs {
		spans = append(spans, [2]int{d.StartLine, d.EndLine})
	}
	// Each document starts at its separator and ends before the next one.
	if spans[0] != [2]int{1, 4} || spans[1] != [2]int{5, 18} || spans[2][0] != 19 {
		t.Errorf("document spans = %v", spans)
	}
}

func TestParseSyntaxErrorInMiddleDocument(t *testing.T) {
	in := "a: 1\n---\nb: 2\nc: [unclosed\n---\nd: 4\n"
	f := Parse("f.yaml", []byte(in))
	if len(f.Findings) != 1 {
		t.Fatalf("findings = %v, want exactly one", f.Findings)
	}
	got := f.Findings[0]
	if got.RuleID != RuleSyntax || got.Severity != finding.Error {
		t.Errorf("finding = %v, want %s error", got, RuleSyntax)
	}
	// The error is reported inside the second document (lines 2-4), not at
	// a line of the chunk counted from 1.
	if got.Pos.File != "f.yaml" || got.Pos.Line < 3 || got.Pos.Line > 5 {
		t.Errorf("syntax error at %v, want a line of the second document (3-5)", got.Pos)
	}
	if !strings.HasPrefix(got.Message, "invalid YAML: ") || strings.Contains(got.Message, "yaml: line") {
		t.Errorf("message = %q, want it cleaned of the yaml.v3 line prefix", got.Message)
	}
	var names []string
	for _, d := range f.Docs {
		names = append(names, strings.Join(slices.Collect(keysOf(d.Root())), ","))
	}
	if want := []string{"a", "d"}; !slices.Equal(names, want) {
		t.Errorf("documents = %v, want %v", names, want)
	}
	if f.Docs[1].Index != 1 || f.Docs[1].PosOf([]string{"d"}) != pos(6, 1) {
		t.Errorf("third document: index %d, d at %v; want 1 and f.yaml:6:1", f.Docs[1].Index, f.Docs[1].PosOf([]string{"d"}))
	}
}

func TestParseSyntaxErrorLine(t *testing.T) {
	// yaml.v3 names the line of a bad indentation exactly.
	in := "x: 0\n---\na:\n  b: 1\n   c: 2\n"
	f := Parse("f.yaml", []byte(in))
	if len(f.Findings) != 1 || f.Findings[0].RuleID != RuleSyntax {
		t.Fatalf("findings = %v, want one %s", f.Findings, RuleSyntax)
	}
	if got := f.Findings[0].Pos; got != pos(5, 1) {
		t.Errorf("syntax error at %v, want f.yaml:5:1", got)
	}
}

func keysOf(n *yaml.Node) func(func(string) bool) {
	return func(yield func(string) bool) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if !yield(n.Content[i].Value) {
				return
			}
		}
	}
}

func TestParseDuplicateKeys(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []finding.Pos
	}{
		{name: "top level", in: "a: 1\nb: 2\na: 3\n", want: []finding.Pos{pos(3, 1)}},
		{name: "nested, second document", in: "x: 1\n---\nspec:\n  name: a\n  other: b\n  name: c\n", want: []finding.Pos{pos(6, 3)}},
		{name: "in a sequence item", in: "items:\n  - name: a\n    name: b\n", want: []finding.Pos{pos(3, 5)}},
		{name: "flow mapping", in: "m: {k: 1, j: 2, k: 3}\n", want: []finding.Pos{pos(1, 17)}},
		{name: "three times gives two findings", in: "a: 1\na: 2\na: 3\n", want: []finding.Pos{pos(2, 1), pos(3, 1)}},
		{name: "same key in different mappings is fine", in: "a:\n  n: 1\nb:\n  n: 2\n"},
		{name: "merge keys are not duplicates", in: "base: &b {x: 1}\nc:\n  <<: *b\n  <<: *b\n  y: 2\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Parse("f.yaml", []byte(tt.in))
			var got []finding.Pos
			for _, x := range f.Findings {
				if x.RuleID != RuleDuplicateKey {
					t.Errorf("unexpected finding %v", x)
					continue
				}
				if x.Severity != finding.Error {
					t.Errorf("severity = %v, want error", x.Severity)
				}
				got = append(got, x.Pos)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("duplicate keys at %v, want %v", got, tt.want)
			}
			if len(f.Docs) == 0 {
				t.Errorf("document with duplicate keys was dropped")
			}
		})
	}
}

func TestParseDuplicateKeyMessageNamesFirstLine(t *testing.T) {
	f := Parse("f.yaml", []byte("---\nkind: A\nname: x\nkind: B\n"))
	if len(f.Findings) != 1 {
		t.Fatalf("findings = %v", f.Findings)
	}
	if msg := f.Findings[0].Message; !strings.Contains(msg, `"kind"`) || !strings.Contains(msg, "line 2") {
		t.Errorf("message = %q, want the key and the first line (2)", msg)
	}
}

func TestParseEncodings(t *testing.T) {
	tests := []struct {
		name      string
		in        []byte
		wantDocs  int
		wantRules []string
		check     func(t *testing.T, f *File)
	}{
		{
			name:     "UTF-8 BOM",
			in:       append([]byte{0xEF, 0xBB, 0xBF}, "kind: A\nmetadata:\n  name: x\n"...),
			wantDocs: 1,
			check: func(t *testing.T, f *File) {
				if got := f.Docs[0].Str("kind"); got != "A" {
					t.Errorf("kind = %q, want A (BOM must not stick to the first key)", got)
				}
				if got := f.Docs[0].PosOf([]string{"kind"}); got != pos(1, 1) {
					t.Errorf("kind at %v, want f.yaml:1:1", got)
				}
			},
		},
		{
			name:     "CRLF line ends",
			in:       []byte("a: 1\r\n---\r\nkind: B\r\nmetadata:\r\n  name: y\r\n"),
			wantDocs: 2,
			check: func(t *testing.T, f *File) {
				if got := f.Docs[1].Str("metadata", "name"); got != "y" {
					t.Errorf("name = %q, want y without a carriage return", got)
				}
				if got := f.Docs[1].PosOf([]string{"metadata", "name"}); got != pos(5, 3) {
					t.Errorf("name at %v, want f.yaml:5:3", got)
				}
				for i, l := range f.Lines {
					if strings.Contains(l, "\r") {
						t.Errorf("Lines[%d] = %q keeps a carriage return", i, l)
					}
				}
			},
		},
		{name: "Latin-1 bytes", in: []byte("name: caf\xe9\n"), wantRules: []string{RuleSyntax}},
		{name: "binary with NUL", in: []byte{0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00}, wantRules: []string{RuleSyntax}},
		{
			// YAML parsers, kustomize's among them, read UTF-16 that
			// starts with its byte order mark.
			name: "UTF-16 LE with BOM", in: []byte{0xFF, 0xFE, 'k', 0, 'i', 0, 'n', 0, 'd', 0, ':', 0, ' ', 0, 'A', 0, '\n', 0},
			wantDocs: 1,
			check: func(t *testing.T, f *File) {
				if got := f.Docs[0].Str("kind"); got != "A" {
					t.Errorf("kind = %q, want A", got)
				}
			},
		},
		{name: "UTF-16 BE with BOM", in: []byte{0xFE, 0xFF, 0, 'a', 0, ':', 0, ' ', 0, '1'}, wantDocs: 1},
		{name: "UTF-16 cut in a unit", in: []byte{0xFF, 0xFE, 'a', 0, ':'}, wantRules: []string{RuleSyntax}},
		{name: "empty file", in: nil},
		{name: "comments only", in: []byte("# nothing here\n# at all\n")},
		{name: "empty documents between separators", in: []byte("---\n# c\n---\n\n---\na: 1\n---\n"), wantDocs: 1},
		{name: "explicit null document", in: []byte("---\n~\n---\nnull\n")},
		{name: "document end marker", in: []byte("a: 1\n...\n---\nb: 2\n"), wantDocs: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Parse("f.yaml", tt.in)
			if len(f.Docs) != tt.wantDocs {
				t.Errorf("got %d documents, want %d", len(f.Docs), tt.wantDocs)
			}
			if got := rules(f.Findings); !slices.Equal(got, tt.wantRules) {
				t.Errorf("findings = %v, want rules %v", f.Findings, tt.wantRules)
			}
			for _, x := range f.Findings {
				if x.Pos != pos(1, 1) {
					t.Errorf("encoding finding at %v, want f.yaml:1:1", x.Pos)
				}
			}
			if tt.check != nil && len(f.Docs) == tt.wantDocs {
				tt.check(t, f)
			}
			for i, d := range f.Docs {
				if d.Index != i || d.File != f {
					t.Errorf("doc %d: Index %d, File %p; want %d, %p", i, d.Index, d.File, i, f)
				}
			}
		})
	}
}

func TestParseSeparatorForms(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{name: "separator with trailing comment", in: "a: 1\n--- # next\nb: 2\n", want: []string{"1", "2"}},
		{name: "separator with trailing space", in: "a: 1\n--- \nb: 2\n", want: []string{"1", "2"}},
		{name: "dashes inside a block scalar are not a separator", in: "a: |\n  ---\n  x\nb: 2\n", want: []string{"---\nx\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := Parse("f.yaml", []byte(tt.in))
			var got []string
			for _, d := range f.Docs {
				if v := d.Str("a"); v != "" {
					got = append(got, v)
				}
				if v := d.Str("b"); v != "" {
					got = append(got, v)
				}
			}
			if len(f.Findings) != 0 {
				t.Errorf("findings = %v, want none", f.Findings)
			}
			if len(got) < len(tt.want) || !slices.Equal(got[:len(tt.want)], tt.want) {
				t.Errorf("values = %q, want prefix %q", got, tt.want)
			}
		})
	}
}

func TestParseDirectiveBeforeSeparator(t *testing.T) {
	f := Parse("d.yaml", []byte("%YAML 1.1\n---\na: 1\n"))
	if len(f.Findings) != 0 || len(f.Docs) != 1 || f.Docs[0].Str("a") != "1" {
		t.Fatalf("findings %v, docs %d", f.Findings, len(f.Docs))
	}
	if pos := f.Docs[0].PosOf([]string{"a"}); pos.Line != 3 {
		t.Errorf("a at line %d, want 3", pos.Line)
	}
}
