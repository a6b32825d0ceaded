package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/fluxcd/pkg/envsubst"

	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// FuzzPatchesOfKustomization reads the patches of any kustomization file:
// it never panics, and every patch document and JSON 6902 operation it
// returns lies on lines of the file.
func FuzzPatchesOfKustomization(f *testing.F) {
	for _, seed := range []string{
		"patches:\n  - path: patch.yaml\n    target: {kind: Deployment, name: web}\n",
		"patches:\n  - patch: |-\n      - op: replace\n        path: /spec/replicas\n        value: 3\n    target:\n      kind: Deployment\n",
		"patches:\n  - patch: |\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata: {name: web}\n      spec: {replicas: 2}\n",
		"patchesStrategicMerge:\n  - |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: c}\n  - file.yaml\n",
		"patchesJson6902:\n  - target: {kind: Deployment, name: web}\n    patch:\n      - op: add\n        path: /metadata/labels/a~1b\n        value: x\n",
		"patches: [1, [2], {patch: 3}, {path: {a: b}}]\n",
		"patches:\n  - patch: \"- op: remove\\n  path: /a/0/b\"\n",
	} {
		f.Add(seed)
	}
	repo, err := source.Open(f.TempDir())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		file := source.Parse("kustomization.yaml", []byte(text))
		if len(file.Docs) == 0 {
			return
		}
		n := len(file.Lines)
		for _, p := range patchesOfKustomization(repo, file.Docs[0], repo.Root) {
			if p.Doc != nil && (p.Doc.Root().Line < 1 || p.Doc.Root().Line > n) {
				t.Fatalf("patch document at line %d, outside 1-%d", p.Doc.Root().Line, n)
			}
			for _, op := range p.Ops {
				if op.Value.Value != nil && (op.Value.Value.Line < 1 || op.Value.Value.Line > n) {
					t.Fatalf("operation value at line %d, outside 1-%d", op.Value.Value.Line, n)
				}
			}
		}
	})
}

// FuzzSubstitution runs Flux's variable substitution and fluxlint's
// search for where a variable is written: neither panics, and a position
// found is one where the text is written and ends at a name boundary.
func FuzzSubstitution(f *testing.F) {
	for _, seed := range []struct{ doc, text string }{
		{"data:\n  a: ${VAR}\n  b: ${VAR_LONG}\n", "${VAR}"},
		{"data:\n  a: ${VAR:=default}\n", "${VAR"},
		{"data:\n  a: $${ESCAPED}\n  b: ${X:-y}\n", "${X"},
		{"a: ${unclosed\n", "${unclosed"},
		{"a: ${ü}\n", "${ü}"},
		{"a: ${A}${B}\n", "${B}"},
	} {
		f.Add(seed.doc, seed.text)
	}
	f.Fuzz(func(t *testing.T, doc, text string) {
		vars := map[string]string{"VAR": "v", "X": "x"}
		_, _ = envsubst.Eval(doc, func(name string) (string, bool) {
			v, ok := vars[name]
			return v, ok
		})
		file := source.Parse("f.yaml", []byte(doc))
		if len(file.Docs) == 0 || text == "" || strings.Contains(text, "\n") {
			return
		}
		obj := &model.Object{Doc: file.Docs[0]}
		pos := textPos(obj, text)
		if pos == obj.Origin {
			return
		}
		if pos.Line < 1 || pos.Line > len(file.Lines) {
			t.Fatalf("position line %d outside 1-%d", pos.Line, len(file.Lines))
		}
		line := file.Lines[pos.Line-1]
		if !strings.HasPrefix(line[pos.Col-1:], text) || !boundaryAfter(line, pos.Col-1+len(text)) {
			t.Fatalf("position %d:%d does not hold %q at a boundary in %q", pos.Line, pos.Col, text, line)
		}
	})
}

// FuzzContentCodec decodes any bytes as cached content: it never panics,
// and what decodes encodes, and decodes back to the same value (compared
// by its encoding, which holds NaN and keeps map keys sorted).
func FuzzContentCodec(f *testing.F) {
	for _, v := range []any{
		map[string]any{"a": []any{1, "b", nil, 2.5, true}, "c": map[string]any{}, "d": []any(nil), "e": int64(-3), "f": uint64(9)},
		map[string]any(nil), "x", false,
	} {
		data, _ := appendContent(nil, v)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, _, err := readContent(data)
		if err != nil {
			return
		}
		again, ok := appendContent(nil, v)
		if !ok {
			t.Fatalf("decoded %#v, which does not encode", v)
		}
		back, left, err := readContent(again)
		if err != nil || len(left) > 0 {
			t.Fatalf("%#v encodes as %x, which does not decode: %v", v, again, err)
		}
		if third, _ := appendContent(nil, back); !bytes.Equal(third, again) {
			t.Fatalf("%#v changed in a round trip: %#v", v, back)
		}
	})
}
