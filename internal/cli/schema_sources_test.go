package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCRDAndSchemaLocationFlags checks that --crd and --schema-location
// give custom resources a schema, and that without them the kinds are only
// reported as having none.
func TestCRDAndSchemaLocationFlags(t *testing.T) {
	repo := writeRepo(t, map[string]string{
		"clusters/dev/objects.yaml": `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  namespace: default
spec:
  size: huge
---
apiVersion: example.net/v1
kind: Gizmo
metadata:
  name: g
  namespace: default
spec:
  wheels: many
`,
	})
	ext := t.TempDir()
	crd := `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: string, enum: [small, large]}
`
	gizmo := `{"type": "object", "properties": {"spec": {"type": "object", "properties": {"wheels": {"type": "integer"}}}}}`
	for name, data := range map[string]string{"crds/widget.yaml": crd, "schemas/gizmo-example-v1.json": gizmo} {
		path := filepath.Join(ext, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{name: "no schema sources", want: []string{
			`no schema for example.com/v1 Widget`, `no schema for example.net/v1 Gizmo`}},
		{name: "crd folder and schema location template", args: []string{
			"--crd", filepath.Join(ext, "crds"),
			"--schema-location", filepath.Join(ext, "schemas") + "/{{ .ResourceKind }}{{ .KindSuffix }}.json",
		}, want: []string{
			`7:3      error   Widget/default/w: value "huge" must be one of: "small", "large" [schema-invalid]`,
			`15:3     error   invalid value: got string, want integer [schema-invalid]`,
		}},
		{name: "a URL location is not used offline", args: []string{
			"--schema-location", "http://127.0.0.1:1/{{ .ResourceKind }}.json",
		}, want: []string{`no schema for example.net/v1 Gizmo`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"check", repo, "--offline", "--no-color"}, tt.args...)
			Run(context.Background(), args, &stdout, &stderr)
			for _, w := range tt.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("output lacks %q:\n%s%s", w, stdout.String(), stderr.String())
				}
			}
		})
	}
}
