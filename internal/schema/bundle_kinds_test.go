package schema

import (
	"io/fs"
	"reflect"
	"testing"

	"github.com/fluxlint/fluxlint/schemas"
)

// The kinds read from the end of a bundle are those of decoding it whole,
// for every embedded bundle (the Kubernetes ones end with their kinds; the
// others are decoded whole).
func TestReadKindsMatchesWholeBundle(t *testing.T) {
	entries, err := fs.ReadDir(schemas.FS, ".")
	if err != nil {
		t.Fatal(err)
	}
	trailing := 0
	for _, e := range entries {
		var whole struct {
			Kinds []kindEntry `json:"kinds"`
		}
		if err := decodeBundle(schemas.FS, e.Name(), &whole, false); err != nil {
			t.Fatal(err)
		}
		got, err := readKinds(schemas.FS, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, whole.Kinds) {
			t.Errorf("%s: readKinds gives %d kinds, decoding the whole bundle %d (or others)", e.Name(), len(got), len(whole.Kinds))
		}
		data, err := bundleBytes(schemas.FS, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := trailingKinds(data); ok {
			trailing++
		}
	}
	if trailing < len(Versions()) {
		t.Errorf("%d bundles were read from their end, want at least the %d Kubernetes ones", trailing, len(Versions()))
	}
}

func TestTrailingKinds(t *testing.T) {
	for _, tc := range []struct {
		json string
		ok   bool
	}{
		{`{"definitions":{},"kinds":[{"kind":"Pod"}]}`, true},
		{`{"kinds":[{"kind":"Pod"}]}` + "\n", true},
		// Kinds of a nested object, or not at the end, or under a key
		// that only ends in kinds, are not the bundle's.
		{`{"definitions":{"x":{"kinds":[{"kind":"Pod"}]}}}`, false},
		{`{"kinds":[{"kind":"Pod"}],"crds":[]}`, false},
		{`{"definitions":{},"x \"kinds":[{"kind":"Pod"}]}`, false},
		{`{"definitions":{}, "kinds": [{"kind":"Pod"}]}`, false},
		{`{"definitions":{},"kinds":[{"kind":`, false},
		{`[1,"kinds":[]}`, false},
		{``, false},
	} {
		kinds, ok := trailingKinds([]byte(tc.json))
		if ok != tc.ok || (ok && (len(kinds) != 1 || kinds[0].Kind != "Pod")) {
			t.Errorf("trailingKinds(%s) = %v, %v; want ok %v", tc.json, kinds, ok, tc.ok)
		}
	}
}
