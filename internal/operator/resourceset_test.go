package operator

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestExpandResourceSetGolden(t *testing.T) {
	tests := []struct {
		name string
	}{
		{name: "labels"},
		{name: "dedup"},
		{name: "exclude"},
		{name: "multidoc"},
		{name: "noinputs"},
		{name: "steps"},
		{name: "providers"},
		{name: "permute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs := readDocs(t, filepath.Join("testdata", "resourceset", tt.name+".yaml"))
			exp := ExpandResourceSet(context.Background(), docs[0], lookupIn(docs[1:]))
			golden(t, filepath.Join("testdata", "resourceset", tt.name+".golden.yaml"), dumpExpansion(t, exp))
		})
	}
}

func TestExpandResourceSetErrors(t *testing.T) {
	tests := []struct {
		name string
		spec string
		want string
	}{
		{
			name: "missing input key",
			spec: `
inputs: [{tenant: a, semver: "1.x"}, {tenant: b}]
resources:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: "<< inputs.tenant >>"}
    data: {semver: "<< inputs.semver >>"}`,
			want: `spec.resources[0] (input 1): failed to execute template: template: resourceset:3:13: executing "resourceset" at <inputs>: map has no entry for key "semver"`,
		},
		{
			name: "output that is not YAML",
			spec: `
inputs: [{semver: ">=1.0.0"}]
resources:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: x}
    data: {semver: "<< inputs.semver >>"}`,
			want: "spec.resources[0] (input 0): failed to read object: error converting YAML to JSON",
		},
		{
			name: "parse error",
			spec: `
resources:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: "<< inputs.x"}`,
			want: "spec.resources[0]: failed to parse template: template: resourceset:5: unclosed action started at resourceset:4",
		},
		{
			name: "object without kind",
			spec: `
resources:
  - apiVersion: v1
    metadata: {name: x}`,
			want: `spec.resources[0]: failed to read object: error unmarshaling JSON: while decoding JSON: Object 'Kind' is missing`,
		},
		{
			name: "template item that is not an object",
			spec: `
resources: ["just a string"]`,
			want: "spec.resources[0]: template is not an object",
		},
		{
			name: "resourcesTemplate error",
			spec: `
inputs: [{a: 1}]
resourcesTemplate: |
  << fail "stop here" >>`,
			want: `spec.resourcesTemplate (input 0): multi-doc YAML template: failed to execute template: template: resourceset:1:3: executing "resourceset" at <fail "stop here">: error calling fail: stop here`,
		},
		{
			name: "steps with resources",
			spec: `
resources: [{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}]
steps: [{name: a, resources: [{apiVersion: v1, kind: ConfigMap, metadata: {name: y}}]}]`,
			want: "spec.steps is mutually exclusive with spec.resources and spec.resourcesTemplate",
		},
		{
			name: "empty step",
			spec: `
steps: [{name: a}]`,
			want: `step "a": at least one of resources or resourcesTemplate must be set`,
		},
		{
			name: "object in two steps",
			spec: `
steps:
  - {name: a, resources: [{apiVersion: v1, kind: ConfigMap, metadata: {name: x, namespace: ns1}}]}
  - {name: b, resourcesTemplate: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: ns1}"}`,
			want: `spec.steps[1].resourcesTemplate: duplicate resource ConfigMap/ns1/x in step "b", already defined in step "a"`,
		},
		{
			name: "unknown strategy",
			spec: `
inputStrategy: {name: Zip}
resources: [{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}]`,
			want: "unknown input strategy: 'Zip'",
		},
		{
			name: "huge sequence",
			spec: `
resourcesTemplate: |
  << range until 1000000000 >>x<< end >>`,
			want: "sequence of 1000000000 elements exceeds fluxlint's limit of 100000",
		},
		{
			name: "huge repeat",
			spec: `
resourcesTemplate: |
  << repeat 1000000000 "abc" >>`,
			want: "templates wrote more than 16777216 bytes",
		},
		{
			name: "output limit",
			spec: `
resourcesTemplate: |
  << range until 100000 >><< range until 100000 >>xxxxxxxxxxxxxxxxxxxx<< end >><< end >>`,
			want: "templates wrote more than 16777216 bytes",
		},
		{
			name: "object limit",
			spec: `
resourcesTemplate: |
  << range $i := until 10001 >>
  ---
  {apiVersion: v1, kind: ConfigMap, metadata: {name: c<< $i >>}}
  << end >>`,
			want: "more than 10000 generated objects",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := decodeDocs(t, []byte("apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\n"+
				"metadata: {name: rs, namespace: ns}\nspec:"+strings.ReplaceAll(tt.spec, "\n", "\n  ")))[0]
			exp := ExpandResourceSet(context.Background(), rs, nil)
			if len(exp.Objects) != 0 {
				t.Errorf("got %d objects with errors", len(exp.Objects))
			}
			if len(exp.Errors) != 1 {
				t.Fatalf("got errors %v, want one", exp.Errors)
			}
			if got := exp.Errors[0].Error(); !strings.Contains(got, tt.want) {
				t.Errorf("got error\n%s\nwant it to contain\n%s", got, tt.want)
			}
		})
	}
}
