package schema

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestDefinitionLoaderServesEachDefinitionWithItsReferencesAsAddresses(t *testing.T) {
	spec := map[string]any{"type": "object", "properties": map[string]any{
		"meta":  map[string]any{"$ref": "#/definitions/io.k8s.Meta"},
		"items": map[string]any{"type": "array", "items": map[string]any{"$ref": "#/definitions/a~1b"}},
		"deep":  map[string]any{"$ref": "#/definitions/io.k8s.Meta/properties/name"},
		"other": map[string]any{"$ref": "https://example.com/x.json"},
		"$ref":  map[string]any{"type": "string"},
	}}
	l := definitionLoader{base: "https://json-schema.org/fluxlint/test/", defs: map[string]any{"spec": spec, "a/b": true}}
	doc, err := l.Load(l.url("spec"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"type": "object", "properties": map[string]any{
		"meta":  map[string]any{"$ref": "https://json-schema.org/fluxlint/test/io.k8s.Meta"},
		"items": map[string]any{"type": "array", "items": map[string]any{"$ref": "https://json-schema.org/fluxlint/test/a%2Fb"}},
		"deep":  map[string]any{"$ref": "https://json-schema.org/fluxlint/test/io.k8s.Meta#/properties/name"},
		"other": map[string]any{"$ref": "https://example.com/x.json"},
		"$ref":  map[string]any{"type": "string"},
	}}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("Load = %v, want %v", doc, want)
	}
	if got := spec["properties"].(map[string]any)["meta"].(map[string]any)["$ref"]; got != "#/definitions/io.k8s.Meta" {
		t.Errorf("the bundle's definition was modified: $ref = %v", got)
	}
	if doc, err := l.Load(l.url("a/b")); err != nil || doc != true {
		t.Errorf("Load(a/b) = %v, %v; want true", doc, err)
	}
	for _, u := range []string{"https://example.com/spec", l.url("missing"), l.base + "%zz"} {
		if _, err := l.Load(u); err == nil {
			t.Errorf("Load(%s) gave no error", u)
		}
	}
}

// TestValidatorFollowsReferencesBetweenDefinitions validates through a
// reference to another definition, and one to a field of it.
func TestValidatorFollowsReferencesBetweenDefinitions(t *testing.T) {
	str := map[string]any{"type": "string"}
	part := map[string]any{"type": "object", "additionalProperties": false,
		"properties": map[string]any{"name": str, "size": map[string]any{"type": "integer"}}}
	gadget := map[string]any{"type": "object", "properties": map[string]any{
		"apiVersion": str, "kind": str,
		"spec":  map[string]any{"$ref": "#/definitions/part.v1"},
		"label": map[string]any{"$ref": "#/definitions/part.v1/properties/size"},
	}}
	v := newValidator("test", &bundle{
		Definitions: map[string]any{"gadget.v1": gadget, "part.v1": part},
		Kinds:       []kindEntry{{Group: "example.com", Version: "v1", Kind: "Gadget", Definition: "gadget.v1", Served: true}},
	})
	res := v.Validate(map[string]any{"apiVersion": "example.com/v1", "kind": "Gadget",
		"spec": map[string]any{"name": "x", "colour": "red"}, "label": "big"})
	if res.Status != Invalid || len(res.Violations) != 2 {
		t.Fatalf("Validate = %+v, want two violations", res)
	}
	got := map[string]string{}
	for _, viol := range res.Violations {
		got[viol.PathString()] = viol.Rule
	}
	want := map[string]string{"spec.colour": RuleUnknownField, "label": RuleInvalid}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("violations by path = %v, want %v", got, want)
	}
}

// TestDefinitionLoaderDecodesEncodedDefinitions loads definitions kept
// encoded, as the embedded bundles keep them: numbers stay json.Number,
// a reference becomes an address, and a damaged one is an error.
func TestDefinitionLoaderDecodesEncodedDefinitions(t *testing.T) {
	l := definitionLoader{base: "https://json-schema.org/fluxlint/test/", defs: map[string]any{
		"size":    json.RawMessage(`{"type":"integer","maximum":10,"not":{"$ref":"#/definitions/zero"}}`),
		"damaged": json.RawMessage(`{"type":`),
	}}
	doc, err := l.Load(l.url("size"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"type": "integer", "maximum": json.Number("10"), "not": map[string]any{"$ref": l.url("zero")}}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("Load = %#v, want %#v", doc, want)
	}
	if _, err := l.Load(l.url("damaged")); err == nil {
		t.Error("a damaged definition loaded")
	}
}
