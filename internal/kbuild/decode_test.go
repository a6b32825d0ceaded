package kbuild

import (
	"testing"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// TestDecodeAsFluxApplies pins what Flux applies for scalars that kyaml's
// writer changes, against what the text itself says: kustomize-controller
// and helm-controller write resources out and read them back.
func TestDecodeAsFluxApplies(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{name: "folded with a more-indented line", doc: "k: >\n  a\n  b\n    c\n  d\n", want: "a b\n\n  c\nd\n"},
		{name: "folded strip with a more-indented line", doc: "k: >-\n  a\n    b\n  c\n", want: "a\n\n  b\nc"},
		{name: "folded keep", doc: "k: >+\n  x\n\n", want: "x\n\n\n"},
		{name: "plain folded", doc: "k: >\n  a\n  b\n", want: "a b\n"},
		{name: "literal is unchanged", doc: "k: |\n  a\n    b\n", want: "a\n  b\n"},
		{name: "quoted trailing newline", doc: "k: \"x\\n\"\n", want: "x\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := yaml.Parse(tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Decode(n)
			if err != nil {
				t.Fatal(err)
			}
			if got := m["k"]; got != tt.want {
				t.Errorf("k = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRewriteCompounds shows that each pass of a chart's output through a
// kustomize post-renderer adds to the change.
func TestRewriteCompounds(t *testing.T) {
	doc := "k: >\n  a\n  b\n    c\n  d\n"
	for passes, want := range []string{"a b\n  c\nd\n", "a b\n\n  c\nd\n", "a b\n\n\n  c\nd\n"} {
		m, ok, err := Rewrite(doc, passes)
		if err != nil || !ok {
			t.Fatalf("passes %d: ok %v, err %v", passes, ok, err)
		}
		if m["k"] != want {
			t.Errorf("passes %d: k = %q, want %q", passes, m["k"], want)
		}
	}
	if _, ok, _ := Rewrite("k: |\n  a\n", 3); ok {
		t.Error("a resource without a folded scalar was rewritten")
	}
}
