package schema

import (
	"slices"
	"strings"
	"testing"
)

func TestVersions(t *testing.T) {
	got := Versions()
	want := []string{"1.33", "1.34", "1.35", "1.36", "1.37"}
	if !slices.Equal(got, want) {
		t.Fatalf("Versions() = %v, want %v", got, want)
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		name    string
		version string
		want    string
		wantErr string
	}{
		{name: "empty means newest", version: "", want: "1.37"},
		{name: "exact version", version: "1.34", want: "1.34"},
		{name: "leading v", version: "v1.35", want: "1.35"},
		{name: "too old", version: "1.20", wantErr: `unsupported Kubernetes version "1.20": supported versions are 1.33, 1.34, 1.35, 1.36, 1.37`},
		{name: "patch version", version: "1.33.2", wantErr: "supported versions are 1.33"},
		{name: "garbage", version: "latest", wantErr: "unsupported Kubernetes version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := New(tt.version)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("New(%q) error = %v, want it to contain %q", tt.version, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("New(%q): %v", tt.version, err)
			}
			if got := v.KubernetesVersion(); got != tt.want {
				t.Fatalf("KubernetesVersion() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestAllSchemasCompile compiles the schema of every embedded kind on every
// version, so a broken bundle fails here rather than in a user's run.
func TestAllSchemasCompile(t *testing.T) {
	for _, version := range Versions() {
		t.Run(version, func(t *testing.T) {
			v, err := New(version)
			if err != nil {
				t.Fatal(err)
			}
			if err := v.compileAll(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestDeploymentValidOnEveryVersion(t *testing.T) {
	for _, version := range Versions() {
		t.Run(version, func(t *testing.T) {
			res := validator(t, version).Validate(decode(t, deployment))
			if res.Status != Valid || len(res.Violations) > 0 {
				t.Fatalf("status %v, violations:%s", res.Status, formatViolations(res.Violations))
			}
		})
	}
}

func TestBuiltinViolations(t *testing.T) {
	container := []string{"spec", "template", "spec", "containers", "0"}
	tests := []struct {
		name string
		obj  map[string]any
		want []Violation
	}{
		{
			name: "replicas is a string",
			obj:  set(t, deployment, []string{"spec", "replicas"}, "two"),
			want: []Violation{{Path: []string{"spec", "replicas"}, Rule: RuleInvalid, Message: "invalid value: got string, want integer"}},
		},
		{
			name: "replicas is a fraction",
			obj:  set(t, deployment, []string{"spec", "replicas"}, 1.5),
			want: []Violation{{Path: []string{"spec", "replicas"}, Rule: RuleInvalid, Message: "invalid value: got number, want integer"}},
		},
		{
			name: "unknown spec field",
			obj:  set(t, deployment, []string{"spec", "replica"}, 3),
			want: []Violation{{Path: []string{"spec", "replica"}, Rule: RuleUnknownField, Message: `unknown field "replica"`}},
		},
		{
			name: "unknown container field",
			obj:  set(t, deployment, append(slices.Clone(container), "imagePullPolicyy"), "Always"),
			want: []Violation{{Path: append(slices.Clone(container), "imagePullPolicyy"), Rule: RuleUnknownField, Message: `unknown field "imagePullPolicyy"`}},
		},
		{
			name: "container without name",
			obj:  set(t, deployment, append(slices.Clone(container), "name"), nil),
			want: []Violation{{Path: container, Rule: RuleRequired, Message: `missing required field "name"`}},
		},
		{
			name: "null container name counts as absent",
			obj:  setNull(t, deployment, append(slices.Clone(container), "name")),
			want: []Violation{{Path: container, Rule: RuleRequired, Message: `missing required field "name"`}},
		},
		{
			name: "unknown metadata field",
			obj:  set(t, deployment, []string{"metadata", "label"}, map[string]any{"a": "b"}),
			want: []Violation{{Path: []string{"metadata", "label"}, Rule: RuleUnknownField, Message: `unknown field "label"`}},
		},
		{
			name: "label value is a number",
			obj:  set(t, deployment, []string{"metadata", "labels", "tier"}, 3),
			want: []Violation{{Path: []string{"metadata", "labels", "tier"}, Rule: RuleInvalid, Message: "invalid value: got number, want string"}},
		},
		{
			name: "missing spec",
			obj:  set(t, deployment, []string{"spec"}, nil),
			want: []Violation{{Path: nil, Rule: RuleRequired, Message: `missing required field "spec"`}},
		},
		{
			name: "containers is a map",
			obj:  set(t, deployment, []string{"spec", "template", "spec", "containers"}, map[string]any{"name": "x"}),
			want: []Violation{{Path: []string{"spec", "template", "spec", "containers"}, Rule: RuleInvalid, Message: "invalid value: got object, want array"}},
		},
		{
			name: "quantity is a list",
			obj:  set(t, deployment, append(slices.Clone(container), "resources", "limits", "cpu"), []any{"1"}),
			want: []Violation{{Path: append(slices.Clone(container), "resources", "limits", "cpu"), Rule: RuleInvalid, Message: "invalid value: got array, want number or string"}},
		},
		{
			name: "two problems sorted by path",
			obj:  set(t, deployment, []string{"spec", "template", "spec", "containers", "0", "ports", "0", "containerPort"}, "80"),
			want: []Violation{{Path: append(slices.Clone(container), "ports", "0", "containerPort"), Rule: RuleInvalid, Message: "invalid value: got string, want integer"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := validator(t, "").Validate(tt.obj)
			if res.Status != Invalid {
				t.Fatalf("status = %v, want invalid", res.Status)
			}
			if !slices.EqualFunc(res.Violations, tt.want, equalViolation) {
				t.Fatalf("violations:%s\nwant:%s", formatViolations(res.Violations), formatViolations(tt.want))
			}
		})
	}
}

func equalViolation(a, b Violation) bool {
	return slices.Equal(a.Path, b.Path) && a.Rule == b.Rule && a.Message == b.Message
}

// setNull sets the value at path to an explicit null.
func setNull(t testing.TB, doc string, path []string) map[string]any {
	t.Helper()
	obj := set(t, doc, path, "placeholder")
	var cur any = obj
	for _, p := range path[:len(path)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[p]
		case []any:
			cur = c[int(p[0]-'0')]
		}
	}
	cur.(map[string]any)[path[len(path)-1]] = nil
	return obj
}

// TestExtensionsGroupIsRemoved: a kind of extensions/v1beta1, a group that
// no embedded Kubernetes version serves, is an apiVersion no longer served,
// with the one that serves it now, not a kind without a schema.
func TestExtensionsGroupIsRemoved(t *testing.T) {
	v, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[string]string{"Deployment": "apps/v1", "Ingress": "networking.k8s.io/v1"} {
		r := v.Validate(map[string]any{"apiVersion": "extensions/v1beta1", "kind": kind, "metadata": map[string]any{"name": "x"}})
		if r.Status != UnservedVersion || len(r.Served) == 0 || r.Served[len(r.Served)-1] != want || r.RemovedIn == "" {
			t.Errorf("%s: got %+v, want unserved, served %s", kind, r, want)
		}
	}
	r := v.Validate(map[string]any{"apiVersion": "extensions/v1beta1", "kind": "Widget"})
	if r.Status != NoSchema {
		t.Errorf("an unknown kind of the group: got %+v, want no schema", r)
	}
}
