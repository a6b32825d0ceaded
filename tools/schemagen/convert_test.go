package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

func decodeJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return m
}

func encodeJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestConvertSchema(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "object with properties becomes strict, descriptions go",
			in:   `{"type":"object","description":"d","properties":{"a":{"type":"string","description":"x","format":"byte"}}}`,
			want: `{"additionalProperties":false,"properties":{"a":{"type":"string"}},"type":"object"}`,
		},
		{
			name: "map stays a map",
			in:   `{"type":"object","additionalProperties":{"type":"string"}}`,
			want: `{"additionalProperties":{"type":"string"},"type":"object"}`,
		},
		{
			name: "free-form object stays open",
			in:   `{"type":"object"}`,
			want: `{"type":"object"}`,
		},
		{
			name: "preserve unknown fields stays open",
			in:   `{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{"a":{"type":"object","properties":{"b":{"type":"string"}}}}}`,
			want: `{"properties":{"a":{"additionalProperties":false,"properties":{"b":{"type":"string"}},"type":"object"}},"type":"object"}`,
		},
		{
			name: "embedded resource stays open",
			in:   `{"type":"object","x-kubernetes-embedded-resource":true,"properties":{"kind":{"type":"string"}}}`,
			want: `{"properties":{"kind":{"type":"string"}},"type":"object"}`,
		},
		{
			name: "swagger int-or-string",
			in:   `{"type":"string","format":"int-or-string"}`,
			want: `{"type":["integer","string"]}`,
		},
		{
			name: "CRD int-or-string with pattern",
			in:   `{"anyOf":[{"type":"integer"},{"type":"string"}],"pattern":"^[0-9]+%?$","x-kubernetes-int-or-string":true}`,
			want: `{"pattern":"^[0-9]+%?$","type":["integer","string"]}`,
		},
		{
			name: "boolean exclusive minimum",
			in:   `{"type":"integer","minimum":0,"exclusiveMinimum":true,"maximum":9,"exclusiveMaximum":false}`,
			want: `{"exclusiveMinimum":0,"maximum":9,"type":"integer"}`,
		},
		{
			name: "logic branches add constraints only",
			in:   `{"type":"object","properties":{"a":{"type":"string"}},"oneOf":[{"required":["a"]},{"properties":{"a":{"enum":["x"]}}}]}`,
			want: `{"additionalProperties":false,"oneOf":[{"required":["a"]},{"properties":{"a":{"enum":["x"]}}}],"properties":{"a":{"type":"string"}},"type":"object"}`,
		},
		{
			name: "list items are converted",
			in:   `{"type":"array","items":{"type":"object","properties":{"a":{"type":"integer","default":1}}},"x-kubernetes-list-type":"map"}`,
			want: `{"items":{"additionalProperties":false,"properties":{"a":{"type":"integer"}},"type":"object"},"type":"array"}`,
		},
		{
			name: "property names that look like keywords are kept",
			in:   `{"type":"object","properties":{"$ref":{"type":"string"},"description":{"type":"string"}}}`,
			want: `{"additionalProperties":false,"properties":{"$ref":{"type":"string"},"description":{"type":"string"}},"type":"object"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := encodeJSON(t, convertSchema(decodeJSON(t, tt.in), false))
			if got != tt.want {
				t.Fatalf("convertSchema(%s)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestFixRoot(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "CRD root gets ObjectMeta and loses required status",
			in:   `{"type":"object","required":["spec","status"],"properties":{"metadata":{"type":"object"},"spec":{"type":"object"}},"additionalProperties":false}`,
			want: `{"additionalProperties":false,"properties":{"apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"$ref":"#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"},"spec":{"type":"object"}},"required":["spec"],"type":"object"}`,
		},
		{
			name: "detailed metadata is kept",
			in:   `{"type":"object","required":["metadata"],"properties":{"metadata":{"type":"object","properties":{"name":{"type":"string"}}}}}`,
			want: `{"properties":{"apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"properties":{"name":{"type":"string"}},"type":"object"}},"type":"object"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := decodeJSON(t, tt.in)
			fixRoot(root)
			if got := encodeJSON(t, root); got != tt.want {
				t.Fatalf("fixRoot(%s)\n got %s\nwant %s", tt.in, got, tt.want)
			}
		})
	}
}

const testCRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget}
  versions:
    - name: v1beta1
      served: false
      storage: false
      schema: {openAPIV3Schema: {type: object}}
    - name: v1beta2
      served: true
      deprecated: true
      deprecationWarning: use v1
      schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object}}}}
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object}}}}
`

func TestAddCRDDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "widgets.yaml"), []byte(testCRD), 0o600); err != nil {
		t.Fatal(err)
	}
	b := &bundle{Definitions: map[string]any{}}
	if err := addCRDDir(b, dir); err != nil {
		t.Fatal(err)
	}
	sortKinds(b.Kinds)
	got := encodeJSON(t, b.Kinds)
	want := `[{"group":"example.com","version":"v1","kind":"Widget","definition":"com.example.v1.Widget","served":true},` +
		`{"group":"example.com","version":"v1beta1","kind":"Widget","served":false},` +
		`{"group":"example.com","version":"v1beta2","kind":"Widget","definition":"com.example.v1beta2.Widget","served":true,"deprecated":true,"deprecationWarning":"use v1"}]`
	if got != want {
		t.Fatalf("kinds\n got %s\nwant %s", got, want)
	}
	if len(b.Definitions) != 2 {
		t.Fatalf("got %d definitions, want 2", len(b.Definitions))
	}
}

func TestAddCRDDirErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
	}{
		{name: "empty directory"},
		{name: "not a CRD", files: map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\n"}},
		{name: "not YAML", files: map[string]string{"a.yaml": "{"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if err := addCRDDir(&bundle{Definitions: map[string]any{}}, dir); err == nil {
				t.Fatal("addCRDDir succeeded, want an error")
			}
		})
	}
}

func TestConvertSwagger(t *testing.T) {
	var spec struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	specYAML := `
definitions:
  io.k8s.api.apps.v1.Deployment:
    type: object
    required: [spec]
    properties:
      apiVersion: {type: string}
      metadata: {$ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}
      spec: {type: object, properties: {replicas: {type: integer}}}
      status: {$ref: "#/definitions/io.k8s.api.apps.v1.DeploymentStatus"}
    x-kubernetes-group-version-kind: [{group: apps, version: v1, kind: Deployment}]
  io.k8s.api.apps.v1.DeploymentStatus: {type: object}
  io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta: {type: object, properties: {name: {type: string}}}
  io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions:
    type: object
    x-kubernetes-group-version-kind: [{group: "", version: v1, kind: DeleteOptions}, {group: apps, version: v1, kind: DeleteOptions}]
  io.k8s.api.unused.v1.Thing: {type: string}
`
	if err := yaml.Unmarshal([]byte(specYAML), &spec); err != nil {
		t.Fatal(err)
	}
	b, err := convertSwagger(spec.Definitions)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := encodeJSON(t, b.Kinds), `[{"group":"apps","version":"v1","kind":"Deployment","definition":"io.k8s.api.apps.v1.Deployment","served":true}]`; got != want {
		t.Fatalf("kinds\n got %s\nwant %s", got, want)
	}
	for _, name := range []string{"io.k8s.api.unused.v1.Thing", "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"} {
		if _, ok := b.Definitions[name]; ok {
			t.Errorf("unreachable definition %s was kept", name)
		}
	}
	if _, ok := b.Definitions["io.k8s.api.apps.v1.DeploymentStatus"]; !ok {
		t.Error("referenced definition DeploymentStatus was dropped")
	}

	spec.Definitions["io.k8s.api.apps.v1.Deployment"]["properties"].(map[string]any)["spec"] = map[string]any{"$ref": "#/definitions/Missing"}
	if _, err := convertSwagger(spec.Definitions); err == nil {
		t.Fatal("a dangling $ref was accepted")
	}
}

func TestWriteBundleIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	b := &bundle{
		Sources:     []string{"test"},
		Definitions: map[string]any{"b": map[string]any{"type": "string"}, "a": map[string]any{"type": "integer"}},
		Kinds:       []kindEntry{{Group: "x", Version: "v2", Kind: "K"}, {Group: "x", Version: "v1", Kind: "K"}},
	}
	var outputs [][]byte
	for _, name := range []string{"one.json.gz", "two.json.gz"} {
		path := filepath.Join(dir, name)
		if err := writeBundle(path, b); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		outputs = append(outputs, data)
	}
	if !bytes.Equal(outputs[0], outputs[1]) {
		t.Fatal("two writes of the same bundle differ")
	}
	zr, err := gzip.NewReader(bytes.NewReader(outputs[0]))
	if err != nil {
		t.Fatal(err)
	}
	if !zr.ModTime.IsZero() || zr.Name != "" {
		t.Fatalf("gzip header has mtime %v and name %q, want neither", zr.ModTime, zr.Name)
	}
}

func TestCRDDefinitionName(t *testing.T) {
	if got, want := crdDefinitionName("kustomize.toolkit.fluxcd.io", "v1", "Kustomization"), "io.fluxcd.toolkit.kustomize.v1.Kustomization"; got != want {
		t.Fatalf("crdDefinitionName = %q, want %q", got, want)
	}
}

func TestParseAPIModules(t *testing.T) {
	gomod := `module github.com/fluxcd/flux2/v2

go 1.20

require (
	github.com/fluxcd/helm-controller/api v0.35.0
	github.com/fluxcd/image-automation-controller/api v0.35.0
	github.com/fluxcd/pkg/apis/meta v1.1.1
	github.com/fluxcd/source-controller/api v1.0.0 // indirect
	github.com/fluxcd/source-watcher/api/v2 v2.0.3
	github.com/fluxcd/kustomize-controller v1.0.0
)
require github.com/fluxcd/notification-controller/api v1.0.0
`
	got := parseAPIModules([]byte(gomod))
	want := []string{
		"helm-controller github.com/fluxcd/helm-controller/api@v0.35.0",
		"image-automation-controller github.com/fluxcd/image-automation-controller/api@v0.36.0", // substituted
		"source-controller github.com/fluxcd/source-controller/api@v1.0.0",
		"source-watcher github.com/fluxcd/source-watcher/api/v2@v2.0.3",
		"notification-controller github.com/fluxcd/notification-controller/api@v1.0.0",
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %v", got, want)
	}
	for i, s := range got {
		if line := s.Name + " " + s.Module + "@" + s.Version; line != want[i] || !s.Generate {
			t.Errorf("module %d: %q (generate %v), want %q", i, line, s.Generate, want[i])
		}
	}
}

func TestFluxMergerSharesIdenticalSchemas(t *testing.T) {
	release := func(version, spec string, crd map[string]any) *bundle {
		return &bundle{
			Sources:     []string{"m@" + version},
			Definitions: map[string]any{"a.v1.K": decodeJSON(t, spec)},
			Kinds:       []kindEntry{{Group: "a", Version: "v1", Kind: "K", Definition: "a.v1.K", Served: true}},
			CRDs:        []map[string]any{crd},
		}
	}
	crdA := map[string]any{"kind": "CustomResourceDefinition", "spec": map[string]any{"group": "a"}}
	crdB := map[string]any{"kind": "CustomResourceDefinition", "spec": map[string]any{"group": "a", "scope": "Namespaced"}}
	m := newFluxMerger()
	// Newest first, as fluxBundle adds them.
	for _, r := range []struct {
		version string
		b       *bundle
	}{
		{"2.2", release("2.2", `{"type":"object","properties":{"x":{"type":"string"}}}`, crdB)},
		{"2.1", release("2.1", `{"type":"object"}`, crdA)},
		{"2.0", release("2.0", `{"type":"object"}`, crdA)},
	} {
		if err := m.add(r.version, r.b); err != nil {
			t.Fatal(err)
		}
	}
	b := m.b
	if len(b.Definitions) != 2 || len(b.CRDs) != 2 || len(b.Releases) != 3 {
		t.Fatalf("%d definitions, %d CRDs, %d releases; want 2, 2, 3", len(b.Definitions), len(b.CRDs), len(b.Releases))
	}
	var got []string
	for _, r := range b.Releases {
		got = append(got, fmt.Sprintf("%s:%s:%v", r.Version, r.Kinds[0].Definition, r.CRDs))
	}
	want := "2.0:a.v1.K@2.1:[1] 2.1:a.v1.K@2.1:[1] 2.2:a.v1.K:[0]"
	if strings.Join(got, " ") != want {
		t.Errorf("releases %q, want %q", strings.Join(got, " "), want)
	}
}
