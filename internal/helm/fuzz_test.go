package helm

import (
	"context"
	"errors"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
)

// FuzzValues merges a HelmRelease's values from any inline values, any
// ConfigMap content and any targetPath through Flux's chartutil: it never
// panics, an error names a valuesFrom entry that exists, and inline values
// that are a mapping are never lost when valuesFrom succeeds.
func FuzzValues(f *testing.F) {
	for _, seed := range []struct{ inline, cm, targetPath string }{
		{"replicas: 2\nimage: {tag: v1}\n", "image:\n  repository: nginx\n", ""},
		{"a: 1\n", "value", "a.b[0].c"},
		{"", "x: [1, 2]\n", "list[1]"},
		{"a: {b: {c: 1}}\n", "a: {b: null}\n", ""},
		{"", "{{ bad yaml", ""},
		{"a: 1\n", "b", "a\\.b"},
		{"", "v", "a[999999999]"},
		{"", "v", ".."},
	} {
		f.Add(seed.inline, seed.cm, seed.targetPath)
	}
	f.Fuzz(func(t *testing.T, inline, cm, targetPath string) {
		var values map[string]any
		if yaml.Unmarshal([]byte(inline), &values) != nil {
			values = nil
		}
		spec := map[string]any{
			"values": values,
			"valuesFrom": []any{
				map[string]any{"kind": "ConfigMap", "name": "vals", "valuesKey": "values.yaml", "targetPath": targetPath},
				map[string]any{"kind": "ConfigMap", "name": "absent", "optional": true},
			},
		}
		if values == nil {
			delete(spec, "values")
		}
		cmObj := &model.Object{
			Ref:     finding.ObjectRef{APIVersion: "v1", Kind: "ConfigMap", Namespace: "default", Name: "vals"},
			Content: map[string]any{"data": map[string]any{"values.yaml": cm}},
		}
		out, err := Values(context.Background(), render.FakeClient([]*model.Object{cmObj}), "default", spec)
		if err != nil {
			var ve *ValuesError
			if errors.As(err, &ve) && (ve.Index < 0 || ve.Index > 1) {
				t.Fatalf("error names valuesFrom entry %d of 2", ve.Index)
			}
			return
		}
		for k := range values {
			if _, ok := out[k]; !ok {
				t.Fatalf("inline key %q lost: %v", k, out)
			}
		}
	})
}
