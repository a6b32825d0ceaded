package schema

import (
	"math/big"
	"slices"
	"strings"
	"testing"
)

// syntheticValidator builds a Validator from a hand-written bundle, to test
// what the embedded schemas do not exercise (deprecation, oneOf, anyOf).
func syntheticValidator(t *testing.T) *Validator {
	t.Helper()
	strict := func(props map[string]any, extra map[string]any) map[string]any {
		s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
		for k, v := range extra {
			s[k] = v
		}
		return s
	}
	str := map[string]any{"type": "string"}
	widget := strict(map[string]any{
		"apiVersion": str, "kind": str, "metadata": map[string]any{"type": "object"},
		"spec": strict(map[string]any{
			"url":    str,
			"secret": str,
			"mode": map[string]any{"enum": []any{
				"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n",
			}},
			"source": map[string]any{"oneOf": []any{
				strict(map[string]any{"git": strict(map[string]any{"url": str}, map[string]any{"required": []any{"url"}})}, map[string]any{"required": []any{"git"}}),
				strict(map[string]any{"oci": strict(map[string]any{"ref": str}, nil)}, map[string]any{"required": []any{"oci"}}),
			}},
			"size": map[string]any{"anyOf": []any{
				map[string]any{"type": "integer", "minimum": 1},
				map[string]any{"type": "string", "pattern": "^[0-9]+Gi$"},
			}},
			"name": map[string]any{"type": "string", "maxLength": 5},
		}, map[string]any{"oneOf": []any{
			map[string]any{"required": []any{"url"}},
			map[string]any{"required": []any{"secret"}},
		}}),
	}, nil)
	b := &bundle{
		Definitions: map[string]any{"widget.v1": widget, "widget.v2": widget},
		Kinds: []kindEntry{
			{Group: "example.com", Version: "v1", Kind: "Widget", Definition: "widget.v1", Served: true,
				Deprecated: true, DeprecationWarning: "example.com/v1 Widget is deprecated; use example.com/v2"},
			{Group: "example.com", Version: "v2", Kind: "Widget", Definition: "widget.v2", Served: true},
			{Group: "example.com", Version: "v3", Kind: "Widget", Definition: "widget.v2", Served: true, Deprecated: true},
			{Group: "example.com", Version: "v0", Kind: "Widget", Served: false},
		},
	}
	return newValidator("test", b)
}

func TestDeprecatedAndUnserved(t *testing.T) {
	v := syntheticValidator(t)
	tests := []struct {
		name           string
		apiVersion     string
		wantStatus     Status
		wantDeprecated string
		wantServed     []string
	}{
		{name: "deprecated with warning", apiVersion: "example.com/v1", wantStatus: Valid,
			wantDeprecated: "example.com/v1 Widget is deprecated; use example.com/v2"},
		{name: "not deprecated", apiVersion: "example.com/v2", wantStatus: Valid},
		{name: "deprecated without warning", apiVersion: "example.com/v3", wantStatus: Valid,
			wantDeprecated: "example.com/v3 Widget is deprecated"},
		{name: "defined but not served", apiVersion: "example.com/v0", wantStatus: UnservedVersion,
			wantServed: []string{"example.com/v1", "example.com/v2", "example.com/v3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := v.Validate(map[string]any{"apiVersion": tt.apiVersion, "kind": "Widget", "spec": map[string]any{"url": "u"}})
			if res.Status != tt.wantStatus || res.Deprecated != tt.wantDeprecated || !slices.Equal(res.Served, tt.wantServed) {
				t.Fatalf("got status %v, deprecated %q, served %q; want %v, %q, %q; violations:%s",
					res.Status, res.Deprecated, res.Served, tt.wantStatus, tt.wantDeprecated, tt.wantServed, formatViolations(res.Violations))
			}
		})
	}
}

func TestSyntheticViolations(t *testing.T) {
	v := syntheticValidator(t)
	long := strings.Repeat("x", 60)
	tests := []struct {
		name string
		spec map[string]any
		want []Violation
	}{
		{
			name: "neither of two required fields",
			spec: map[string]any{},
			want: []Violation{{Path: []string{"spec"}, Rule: RuleRequired, Message: `missing required field: one of "url", "secret"`}},
		},
		{
			name: "both of two exclusive fields",
			spec: map[string]any{"url": "u", "secret": "s"},
			want: []Violation{{Path: []string{"spec"}, Rule: RuleInvalid, Message: "invalid value: matches more than one of the allowed forms"}},
		},
		{
			name: "oneOf picks the alternative that got furthest",
			spec: map[string]any{"url": "u", "source": map[string]any{"git": map[string]any{"uri": "x"}}},
			want: []Violation{
				{Path: []string{"spec", "source", "git"}, Rule: RuleRequired, Message: `missing required field "url"`},
				{Path: []string{"spec", "source", "git", "uri"}, Rule: RuleUnknownField, Message: `unknown field "uri"`},
			},
		},
		{
			name: "anyOf of scalar forms",
			spec: map[string]any{"url": "u", "size": 0},
			want: []Violation{{Path: []string{"spec", "size"}, Rule: RuleInvalid, Message: "invalid value: 0 is less than the minimum 1"}},
		},
		{
			name: "long enum and long value are cut",
			spec: map[string]any{"url": "u", "mode": long},
			want: []Violation{{Path: []string{"spec", "mode"}, Rule: RuleInvalid, Message: `value "` + long[:40] + `..." must be one of: "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", ...`}},
		},
		{
			name: "maxLength",
			spec: map[string]any{"url": "u", "name": "toolong"},
			want: []Violation{{Path: []string{"spec", "name"}, Rule: RuleInvalid, Message: "invalid value: length 7 is more than the maximum 5"}},
		},
		{
			name: "several unknown fields, sorted",
			spec: map[string]any{"url": "u", "zeta": 1, "alpha": 2},
			want: []Violation{
				{Path: []string{"spec", "alpha"}, Rule: RuleUnknownField, Message: `unknown field "alpha"`},
				{Path: []string{"spec", "zeta"}, Rule: RuleUnknownField, Message: `unknown field "zeta"`},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := v.Validate(map[string]any{"apiVersion": "example.com/v2", "kind": "Widget", "spec": tt.spec})
			if !slices.EqualFunc(res.Violations, tt.want, equalViolation) {
				t.Fatalf("violations:%s\nwant:%s", formatViolations(res.Violations), formatViolations(tt.want))
			}
			for _, viol := range res.Violations {
				if strings.Contains(viol.Message, "\n") || strings.HasSuffix(viol.Message, ".") && !strings.HasSuffix(viol.Message, "...") {
					t.Errorf("message %q is not one line without a trailing period", viol.Message)
				}
			}
		})
	}
}

func TestPathString(t *testing.T) {
	tests := []struct {
		name string
		path []string
		want string
	}{
		{name: "root", path: nil, want: ""},
		{name: "field", path: []string{"spec", "replicas"}, want: "spec.replicas"},
		{name: "index", path: []string{"spec", "containers", "0", "name"}, want: "spec.containers[0].name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (Violation{Path: tt.path}).PathString(); got != tt.want {
				t.Fatalf("PathString() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRat(t *testing.T) {
	tests := []struct {
		name string
		in   *big.Rat
		want string
	}{
		{name: "whole", in: big.NewRat(4, 1), want: "4"},
		{name: "fraction", in: big.NewRat(1, 2), want: "0.5"},
		{name: "nil", in: nil, want: "?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rat(tt.in); got != tt.want {
				t.Fatalf("rat(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestViolationOrder(t *testing.T) {
	in := []Violation{
		{Path: []string{"items", "10", "a"}, Rule: RuleInvalid, Message: "m"},
		{Path: []string{"items", "2", "a"}, Rule: RuleUnknownField, Message: "z"},
		{Path: []string{"items", "2", "a"}, Rule: RuleInvalid, Message: "b"},
		{Path: []string{"items"}, Rule: RuleRequired, Message: "m"},
		{Path: nil, Rule: RuleRequired, Message: "m"},
	}
	want := []Violation{in[4], in[3], in[2], in[1], in[0]}
	got := slices.Clone(in)
	slices.SortFunc(got, func(a, b Violation) int {
		if lessViolation(a, b) {
			return -1
		}
		if lessViolation(b, a) {
			return 1
		}
		return 0
	})
	if !slices.EqualFunc(got, want, equalViolation) {
		t.Fatalf("order:%s\nwant:%s", formatViolations(got), formatViolations(want))
	}
}

func TestSortAPIVersions(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{name: "stability then number", in: []string{"g/v1", "g/v2", "g/v1beta1", "g/v2alpha1", "g/v1beta2", "g/v1alpha1"},
			want: []string{"g/v1alpha1", "g/v2alpha1", "g/v1beta1", "g/v1beta2", "g/v1", "g/v2"}},
		{name: "numbers are not compared as text", in: []string{"g/v10", "g/v9"}, want: []string{"g/v9", "g/v10"}},
		{name: "core group first", in: []string{"apps/v1", "v1"}, want: []string{"v1", "apps/v1"}},
		{name: "odd versions first", in: []string{"g/v1", "g/latest"}, want: []string{"g/latest", "g/v1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := slices.Clone(tt.in)
			sortAPIVersions(got)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("sortAPIVersions(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
