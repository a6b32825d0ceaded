package operator

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"
	yamlv3 "gopkg.in/yaml.v3"
	"sigs.k8s.io/yaml"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// readDocs decodes every YAML document of a file as the renderer would.
func readDocs(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return decodeDocs(t, data)
}

// decodeDocs decodes every YAML document of data.
func decodeDocs(t *testing.T, data []byte) []map[string]any {
	t.Helper()
	dec := yamlv3.NewDecoder(bytes.NewReader(data))
	var docs []map[string]any
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatal(err)
		}
		if doc != nil {
			docs = append(docs, doc)
		}
	}
}

// lookupIn returns a ProviderLookup over the given objects.
func lookupIn(objects []map[string]any) ProviderLookup {
	return func(namespace string) []map[string]any {
		var out []map[string]any
		for _, o := range objects {
			if str(o, "metadata", "namespace") == namespace {
				out = append(out, o)
			}
		}
		return out
	}
}

// dumpExpansion prints an expansion for golden comparison.
func dumpExpansion(t *testing.T, exp Expansion) string {
	t.Helper()
	var sb strings.Builder
	fmt.Fprintf(&sb, "# inputs: %d, partial: %v\n", exp.Inputs, exp.Partial)
	for _, u := range exp.Unresolved {
		fmt.Fprintf(&sb, "# unresolved: %s\n", u.Reason)
	}
	for _, e := range exp.Errors {
		fmt.Fprintf(&sb, "# error: %v\n", e)
	}
	for _, g := range exp.Objects {
		b, err := yaml.Marshal(g.Object)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&sb, "---\n# from %s, input %d\n%s", formatPath(g.Template.Path()), g.Input, b)
	}
	return sb.String()
}

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o600); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != got {
		diff, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
			A: difflib.SplitLines(string(want)), B: difflib.SplitLines(got),
			FromFile: path, ToFile: "got", Context: 3,
		})
		t.Errorf("output differs from %s:\n%s", path, diff)
	}
}
