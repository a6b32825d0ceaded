package schema

import (
	"context"
	"strings"
	"testing"
)

const widgetCRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
    - name: v1alpha1
      served: false
      storage: false
    - name: v1beta1
      served: true
      storage: false
      deprecated: true
      deprecationWarning: example.com/v1beta1 Widget is deprecated; use example.com/v1
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [size]
              x-kubernetes-validations:
                - rule: self.minReplicas <= self.replicas
                  messageExpression: "'minReplicas ' + string(self.minReplicas) + ' is more than replicas ' + string(self.replicas)"
              properties:
                size: {type: string, enum: [small, large]}
                replicas: {type: integer, default: 1}
                minReplicas: {type: integer, default: 0}
                port: {x-kubernetes-int-or-string: true}
                note: {type: string, nullable: true}
                extra:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
                template:
                  type: object
                  x-kubernetes-embedded-resource: true
                  properties:
                    data: {type: object, additionalProperties: {type: string}}
                ports:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [name]
                  items:
                    type: object
                    required: [name]
                    properties:
                      name: {type: string}
                      number: {type: integer}
                tags:
                  type: array
                  x-kubernetes-list-type: set
                  items: {type: string}
`

func widgetSet(t *testing.T) (*Validator, *CRDSet) {
	t.Helper()
	v := validator(t, "1.37")
	set, errs := v.CRDSet([]map[string]any{decode(t, widgetCRD)})
	if len(errs) > 0 || set.Len() != 1 {
		t.Fatalf("CRDSet: %d kinds, errors %v", set.Len(), errs)
	}
	return v, set
}

func TestValidateInCRD(t *testing.T) {
	v, set := widgetSet(t)
	tests := []struct {
		name   string
		obj    string
		opts   ValidateOptions
		status Status
		want   []string // path [rule] message, as formatViolations prints them
	}{
		{name: "valid with int-or-string, null, preserved and embedded fields", status: Valid, obj: `
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, labels: {app: w}}
spec:
  size: small
  replicas: 3
  port: http
  note: null
  extra: {anything: [1, 2]}
  template: {apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: b}}
  ports: [{name: http, number: 80}, {name: https, number: 443}]
  tags: [a, b]
`},
		{name: "unknown fields, enum, wrong type", status: Invalid, obj: `
apiVersion: example.com/v1
kind: Widget
metadata: {name: w, labelz: {}}
spec:
  size: medium
  replicas: three
  colour: red
  ports: [{name: http, nummber: 80}]
`, want: []string{
			`metadata/labelz [schema-unknown-field] unknown field "labelz"`,
			`spec/colour [schema-unknown-field] unknown field "colour"`,
			`spec/ports/0/nummber [schema-unknown-field] unknown field "nummber"`,
			`spec/replicas [schema-invalid] invalid value: must be of type integer: "string"`,
			`spec/size [schema-invalid] value "medium" must be one of: "small", "large"`,
		}},
		{name: "missing required field", status: Invalid, obj: `
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {replicas: 1}
`, want: []string{`spec [schema-required] missing required field "size"`}},
		{name: "duplicate map keys and set items", status: Invalid, obj: `
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  size: small
  ports: [{name: http}, {name: http}]
  tags: [a, a]
`, want: []string{
			`spec/ports/1 [schema-invalid] duplicate list item {"name":"http"}`,
			`spec/tags/1 [schema-invalid] duplicate list item "a"`,
		}},
		{name: "CEL rule with messageExpression, after defaults", status: Invalid, obj: `
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {size: small, minReplicas: 2}
`, want: []string{`spec [schema-cel] minReplicas 2 is more than replicas 1`}},
		{name: "CEL skipped", status: Valid, opts: ValidateOptions{SkipCEL: true}, obj: `
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {size: small, minReplicas: 2}
`},
		{name: "unserved version", status: UnservedVersion, obj: `
apiVersion: example.com/v1alpha1
kind: Widget
metadata: {name: w}
`},
		{name: "embedded resource metadata", status: Invalid, obj: `
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  size: small
  template: {apiVersion: v1, metadata: {name: c}}
`, want: []string{`spec/template [schema-required] missing required field "kind"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := decode(t, tt.obj)
			res := v.ValidateIn(context.Background(), obj, set, tt.opts)
			if res.Status != tt.status {
				t.Errorf("status = %v, want %v%s", res.Status, tt.status, formatViolations(res.Violations))
			}
			got := strings.TrimPrefix(formatViolations(res.Violations), "\n  ")
			want := strings.Join(tt.want, "\n  ")
			if got != want {
				t.Errorf("violations:\n  %s\nwant:\n  %s", got, want)
			}
		})
	}
}

func TestValidateInCRDDeprecatedAndServed(t *testing.T) {
	v, set := widgetSet(t)
	res := v.ValidateIn(context.Background(), decode(t, "{apiVersion: example.com/v1beta1, kind: Widget, metadata: {name: w}, spec: {x: 1}}"), set, ValidateOptions{})
	if res.Status != Valid || !strings.Contains(res.Deprecated, "use example.com/v1") {
		t.Errorf("v1beta1: status %v, deprecated %q", res.Status, res.Deprecated)
	}
	res = v.ValidateIn(context.Background(), decode(t, "{apiVersion: example.com/v1alpha1, kind: Widget, metadata: {name: w}}"), set, ValidateOptions{})
	if got := strings.Join(res.Served, ","); got != "example.com/v1beta1,example.com/v1" {
		t.Errorf("served = %s", got)
	}
}

func TestCRDSetSkipsEmbeddedGroups(t *testing.T) {
	v := validator(t, "1.37")
	crd := strings.NewReplacer("example.com", "kustomize.toolkit.fluxcd.io", "Widget", "Kustomization").Replace(widgetCRD)
	set, errs := v.CRDSet([]map[string]any{decode(t, crd), decode(t, "{apiVersion: v1, kind: ConfigMap}")})
	if len(errs) > 0 || set.Len() != 0 {
		t.Errorf("a CRD of an embedded group was used: %d kinds, %v", set.Len(), errs)
	}
}

func TestCRDSetCompilesOnce(t *testing.T) {
	v := validator(t, "1.36")
	a, _ := v.CRDSet([]map[string]any{decode(t, widgetCRD)})
	b, _ := v.CRDSet([]map[string]any{decode(t, widgetCRD)})
	k := groupKind{"example.com", "Widget"}
	if a.kinds[k] != b.kinds[k] {
		t.Error("the same CRD was compiled twice")
	}
}

func TestSplitFieldPath(t *testing.T) {
	obj := map[string]any{"metadata": map[string]any{"labels": map[string]any{"app.kubernetes.io/name": "x"}},
		"spec": map[string]any{"a.b": map[string]any{"c": 1}, "list": []any{map[string]any{"x": 1}}}}
	tests := []struct{ in, want string }{
		{in: "metadata.labels[app.kubernetes.io/name]", want: "metadata|labels|app.kubernetes.io/name"},
		{in: "spec.a.b.c", want: "spec|a.b|c"},
		{in: "spec.list[0].x", want: "spec|list|0|x"},
		{in: "spec.missing.field", want: "spec|missing|field"},
		{in: "", want: ""},
		{in: "<nil>", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := strings.Join(splitFieldPath(obj, tt.in), "|"); got != tt.want {
				t.Errorf("splitFieldPath(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFluxCEL(t *testing.T) {
	v := validator(t, "1.37")
	tests := []struct {
		name string
		obj  string
		want string
	}{
		{name: "neither chart nor chartRef", obj: `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: apps}
spec:
  interval: 5m
`, want: `spec [schema-cel] either chart or chartRef must be set`},
		{name: "both chart and chartRef", obj: `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: apps}
spec:
  interval: 5m
  chartRef: {kind: OCIRepository, name: web}
  chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: charts}}}
`, want: `spec [schema-cel] either chart or chartRef must be set`},
		{name: "chartRef only", obj: `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: apps}
spec:
  interval: 5m
  chartRef: {kind: OCIRepository, name: web}
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, opts := range []ValidateOptions{{}, {SkipCEL: true}} {
				res := v.ValidateIn(context.Background(), decode(t, tt.obj), nil, opts)
				got := strings.TrimPrefix(formatViolations(res.Violations), "\n  ")
				want := tt.want
				if opts.SkipCEL {
					want = ""
				}
				if got != want {
					t.Errorf("SkipCEL %v: violations\n  %s\nwant\n  %s", opts.SkipCEL, got, want)
				}
			}
		})
	}
}

// A whole number that a JSON round trip left a float64 (a Helm chart's
// fromYaml/toYaml, values merged as JSON) reaches the API server as JSON
// text 2, an integer: CEL rules on an integer field evaluate as for one.
func TestValidateInCRDWholeFloat(t *testing.T) {
	v, set := widgetSet(t)
	obj := decode(t, "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: small}\n")
	spec := obj["spec"].(map[string]any)
	spec["replicas"], spec["minReplicas"] = float64(3), float64(2)
	if res := v.ValidateIn(context.Background(), obj, set, ValidateOptions{}); res.Status != Valid {
		t.Errorf("status = %v, want valid%s", res.Status, formatViolations(res.Violations))
	}
	spec["minReplicas"] = float64(4)
	res := v.ValidateIn(context.Background(), obj, set, ValidateOptions{})
	if got := formatViolations(res.Violations); !strings.Contains(got, "minReplicas 4 is more than replicas 3") {
		t.Errorf("violations = %s, want the CEL rule's message", got)
	}
}
