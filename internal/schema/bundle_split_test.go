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
