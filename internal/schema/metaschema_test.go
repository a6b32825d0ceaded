package schema

import (
	"maps"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/fluxlint/fluxlint/schemas"
)

// TestEmbeddedSchemasMatchTheMetaschema validates every embedded document
// against the JSON Schema metaschema, as the compiler does for a document
// at any URL but trustedSchemaURL, where the Validator puts them: the
// Kubernetes definitions of each version, the Flux definitions (all
// releases share them), the Flux Operator definitions, and the Flux
// definitions patched for clusters of Flux Operator.
func TestEmbeddedSchemasMatchTheMetaschema(t *testing.T) {
	docs := map[string]map[string]any{}
	var newest map[string]any
	for _, version := range Versions() {
		b, err := loadBundle(schemas.KubernetesBundlePrefix + version + schemas.KubernetesBundleSuffix)
		if err != nil {
			t.Fatal(err)
		}
		defs := decodedDefinitions(t, b.Definitions)
		docs["kubernetes-"+version], newest = defs, defs
	}
	// The Flux and Flux Operator definitions refer to Kubernetes ones.
	withKubernetes := func(defs ...map[string]any) map[string]any {
		out := maps.Clone(newest)
		for _, d := range defs {
			maps.Copy(out, d)
		}
		return out
	}
	flux, err := loadBundle(schemas.FluxBundle)
	if err != nil {
		t.Fatal(err)
	}
	operator, err := loadBundle(schemas.FluxOperatorBundle)
	if err != nil {
		t.Fatal(err)
	}
	fluxDefs := decodedDefinitions(t, flux.Definitions)
	docs["flux+operator"] = withKubernetes(fluxDefs, decodedDefinitions(t, operator.Definitions))
	for _, release := range FluxVersions() {
		view, err := fluxReleaseBundle(flux, release)
		if err != nil {
			t.Fatal(err)
		}
		patched, _ := operatorPatch(view)
		docs["flux-"+release+"-patched"] = withKubernetes(fluxDefs, patched)
	}
	if len(docs) < 5 {
		t.Fatalf("only %d embedded documents found", len(docs))
	}
	for _, name := range slices.Sorted(maps.Keys(docs)) {
		defs := docs[name]
		if len(defs) == 0 {
			continue
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		url := "file:///check/" + name + ".json"
		if err := c.AddResource(url, map[string]any{"definitions": defs}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// Compiling any definition validates the whole document.
		first := slices.Sorted(maps.Keys(defs))[0]
		if _, err := c.Compile(url + "#/definitions/" + first); err != nil {
			t.Errorf("%s does not match the metaschema: %v", name, err)
		}
	}
}

// decodedDefinitions returns the definitions of a bundle decoded.
func decodedDefinitions(t *testing.T, defs map[string]any) map[string]any {
	t.Helper()
	out := make(map[string]any, len(defs))
	for name, def := range defs {
		d, err := decodeDefinition(def)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = d
	}
	return out
}
