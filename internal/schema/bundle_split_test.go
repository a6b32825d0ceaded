package schema

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"reflect"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/schemas"
)

// TestSplitBundleMatchesEncodingJSON reads every embedded bundle in one
// pass and compares it with what encoding/json decodes: the same fields,
// and each definition and CRD the same bytes.
func TestSplitBundleMatchesEncodingJSON(t *testing.T) {
	entries, err := fs.ReadDir(schemas.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json.gz") {
			continue
		}
		n++
		got, err := readBundle(schemas.FS, e.Name())
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		var want struct {
			bundle
			Definitions map[string]json.RawMessage `json:"definitions"`
		}
		if err := decodeBundle(schemas.FS, e.Name(), &want, true); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Sources, want.Sources) || !reflect.DeepEqual(got.Kinds, want.Kinds) || !reflect.DeepEqual(got.Releases, want.Releases) {
			t.Errorf("%s: sources, kinds or releases differ", e.Name())
		}
		if len(got.Definitions) != len(want.Definitions) || len(got.CRDs) != len(want.CRDs) {
			t.Fatalf("%s: %d definitions and %d CRDs, want %d and %d", e.Name(), len(got.Definitions), len(got.CRDs), len(want.Definitions), len(want.CRDs))
		}
		for name, raw := range want.Definitions {
			if g, ok := got.Definitions[name].(json.RawMessage); !ok || !bytes.Equal(g, raw) {
				t.Errorf("%s: definition %s differs", e.Name(), name)
			}
		}
		for i, raw := range want.CRDs {
			if !bytes.Equal(got.CRDs[i], raw) {
				t.Errorf("%s: CRD %d differs", e.Name(), i)
			}
		}
	}
	if n < 3 {
		t.Fatalf("only %d bundles embedded", n)
	}
}

func TestSplitBundleRefusesDamagedJSON(t *testing.T) {
	for _, data := range []string{
		``, `[]`, `{"definitions":`, `{"definitions":[]}`, `{"crds":{}}`, `{"kinds":"x"}`,
		`{"definitions":{"a":{}`, `{"crds":[{}`, `{"sources":["a"]`, `{"definitions":{"a":{},"a":{}}}`,
	} {
		if b, err := splitBundle([]byte(data)); err == nil {
			t.Errorf("splitBundle(%q) = %+v, want an error", data, b)
		}
	}
	b, err := splitBundle([]byte(`{"sources":["s"],"definitions":{"d":{"type":"string"}},"kinds":[{"kind":"K"}],"crds":[{"a":1}],"other":true}`))
	if err != nil || len(b.Sources) != 1 || len(b.Kinds) != 1 || b.Kinds[0].Kind != "K" || len(b.CRDs) != 1 || string(b.Definitions["d"].(json.RawMessage)) != `{"type":"string"}` {
		t.Errorf("splitBundle = %+v, %v", b, err)
	}
}

// TestSplitBundleKeepsValuesAsWritten checks that the definitions and CRDs
// of a bundle with spaces and newlines between its values are their bytes
// exactly, and that appending to one does not write over the next.
func TestSplitBundleKeepsValuesAsWritten(t *testing.T) {
	data := []byte("{ \"definitions\" : {\n  \"a\" : { \"type\" : \"string\" } ,\n  \"b\":[1, 2]\n},\n\"crds\": [ {\"x\": \"}\"} ,\n{} ] }")
	b, err := splitBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := b.Definitions["a"].(json.RawMessage)
	if string(a) != `{ "type" : "string" }` || string(b.Definitions["b"].(json.RawMessage)) != "[1, 2]" {
		t.Errorf("definitions = %s, %s", a, b.Definitions["b"])
	}
	if len(b.CRDs) != 2 || string(b.CRDs[0]) != `{"x": "}"}` || string(b.CRDs[1]) != "{}" {
		t.Fatalf("CRDs = %q", b.CRDs)
	}
	_ = append(b.CRDs[0], 'z')
	if string(b.CRDs[1]) != "{}" || !bytes.Contains(data, []byte(" ,\n{} ]")) {
		t.Error("appending to one CRD wrote over the bundle")
	}
}
