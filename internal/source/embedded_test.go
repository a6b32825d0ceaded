package source

import (
	"sync"
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
)

const kustomizationWithPatches = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
patches:
  - target:
      kind: Deployment
    patch: |
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: app
      spec:
        replicas: 2
  - patch: |-
      - op: add
        path: /x
      ---
      - op: remove
        path: /y
  - patch: '{"spec": {"replicas": 3}}'
  - patch: >
      kind: Folded
`

func TestFileEmbedded(t *testing.T) {
	f := Parse("f.yaml", []byte(kustomizationWithPatches))
	if len(f.Docs) != 1 || len(f.Findings) != 0 {
		t.Fatalf("parse: %d documents, findings %v", len(f.Docs), f.Findings)
	}
	outer := f.Docs[0]
	scalar := func(i string) *Located {
		loc, ok := outer.Lookup([]string{"patches", i, "patch"})
		if !ok {
			t.Fatalf("patches.%s.patch not found", i)
		}
		return &loc
	}
	type want struct {
		doc  int
		path []string
		pos  finding.Pos
	}
	tests := []struct {
		name     string
		patch    string
		wantDocs int
		want     []want
	}{
		{
			name: "literal block", patch: "0", wantDocs: 1,
			want: []want{
				{doc: 0, path: nil, pos: pos(7, 7)},
				{doc: 0, path: []string{"metadata", "name"}, pos: pos(10, 9)},
				{doc: 0, path: []string{"spec", "replicas"}, pos: pos(12, 9)},
			},
		},
		{
			name: "literal block with two documents", patch: "1", wantDocs: 2,
			want: []want{
				{doc: 0, path: []string{"0", "path"}, pos: pos(15, 9)},
				{doc: 1, path: []string{"0"}, pos: pos(17, 9)},
				{doc: 1, path: []string{"0", "path"}, pos: pos(18, 9)},
			},
		},
		{
			name: "single-quoted flow text", patch: "2", wantDocs: 1,
			want: []want{
				{doc: 0, path: []string{"spec"}, pos: pos(19, 14)},
				{doc: 0, path: []string{"spec", "replicas"}, pos: pos(19, 23)},
			},
		},
		{
			name: "folded block", patch: "3", wantDocs: 1,
			want: []want{{doc: 0, path: []string{"kind"}, pos: pos(21, 7)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := f.Embedded(scalar(tt.patch).Value)
			if len(docs) != tt.wantDocs {
				t.Fatalf("got %d documents, want %d", len(docs), tt.wantDocs)
			}
			for _, d := range docs {
				if d.File != f {
					t.Errorf("embedded document File = %p, want the outer file %p", d.File, f)
				}
			}
			for _, w := range tt.want {
				if got := docs[w.doc].PosOf(w.path); got != w.pos {
					t.Errorf("doc %d PosOf(%v) = %v, want %v (%q)", w.doc, w.path, got, w.pos, f.Lines[w.pos.Line-1])
				}
			}
		})
	}
}

func TestFileEmbeddedFindTextUsesOuterLines(t *testing.T) {
	f := Parse("f.yaml", []byte(kustomizationWithPatches))
	loc, _ := f.Docs[0].Lookup([]string{"patches", "0", "patch"})
	docs := f.Embedded(loc.Value)
	if len(docs) != 1 {
		t.Fatalf("got %d documents", len(docs))
	}
	d := docs[0]
	if d.StartLine != 7 {
		t.Errorf("StartLine = %d, want 7", d.StartLine)
	}
	got, ok := d.FindText("replicas")
	if !ok || got != d.PosOf([]string{"spec", "replicas"}) {
		t.Errorf("FindText(replicas) = %v, %v; want the key's position %v", got, ok, d.PosOf([]string{"spec", "replicas"}))
	}
	if _, ok := d.FindText("Kustomization"); ok {
		t.Error("FindText found text of the outer document before the block")
	}
}

func TestFileEmbeddedNotAScalar(t *testing.T) {
	f := Parse("f.yaml", []byte(kustomizationWithPatches))
	loc, _ := f.Docs[0].Lookup([]string{"patches"})
	if docs := f.Embedded(loc.Value); docs != nil {
		t.Errorf("Embedded(sequence) = %v, want nil", docs)
	}
	if docs := f.Embedded(nil); docs != nil {
		t.Errorf("Embedded(nil) = %v, want nil", docs)
	}
}

func TestFileEmbeddedLeavesOutInnerFindings(t *testing.T) {
	f := Parse("f.yaml", []byte("patch: |\n  a: 1\n  a: 2\n  b: [\n"))
	loc, _ := f.Docs[0].Lookup([]string{"patch"})
	f.Embedded(loc.Value)
	if len(f.Findings) != 0 {
		t.Errorf("outer file findings = %v, want none", f.Findings)
	}
}

// TestFileEmbeddedParsesAScalarOnce checks that the documents of one
// scalar are parsed once, even when asked for at once, and are those of
// a fresh parse: the same positions, another scalar's documents apart.
func TestFileEmbeddedParsesAScalarOnce(t *testing.T) {
	f := Parse("f.yaml", []byte(kustomizationWithPatches))
	first, _ := f.Docs[0].Lookup([]string{"patches", "0", "patch"})
	second, _ := f.Docs[0].Lookup([]string{"patches", "1", "patch"})
	fresh := Parse("f.yaml", []byte(kustomizationWithPatches))
	freshLoc, _ := fresh.Docs[0].Lookup([]string{"patches", "0", "patch"})
	want := fresh.Embedded(freshLoc.Value)
	got := make([][]*Document, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i] = f.Embedded(first.Value) })
	}
	wg.Wait()
	for i, docs := range got {
		if len(docs) != 1 || docs[0] != got[0][0] {
			t.Fatalf("call %d gave %v, want the documents of the first call", i, docs)
		}
	}
	d := got[0][0]
	if d.StartLine != want[0].StartLine || d.PosOf([]string{"spec", "replicas"}) != want[0].PosOf([]string{"spec", "replicas"}) {
		t.Errorf("kept documents at line %d, replicas at %v; want %d, %v", d.StartLine, d.PosOf([]string{"spec", "replicas"}),
			want[0].StartLine, want[0].PosOf([]string{"spec", "replicas"}))
	}
	if other := f.Embedded(second.Value); len(other) != 2 || other[0] == d {
		t.Errorf("another scalar gave %v, want its own two documents", other)
	}
}
