package schema

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"
)

func TestNormalize(t *testing.T) {
	type port struct {
		Port int `json:"port"`
	}
	tests := []struct {
		name string
		in   any
		want any
	}{
		{name: "drops null map values", in: map[string]any{"a": nil, "b": 1}, want: map[string]any{"b": 1}},
		{name: "keeps null list items", in: []any{nil, "x"}, want: []any{nil, "x"}},
		{name: "nested", in: map[string]any{"a": []any{map[string]any{"b": nil, "c": int64(2)}}}, want: map[string]any{"a": []any{map[string]any{"c": int64(2)}}}},
		{name: "string map", in: map[string]string{"a": "b"}, want: map[string]any{"a": "b"}},
		{name: "string list", in: []string{"a"}, want: []any{"a"}},
		{name: "time", in: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), want: "2025-01-02T03:04:05Z"},
		{name: "typed struct", in: port{Port: 80}, want: map[string]any{"port": json.Number("80")}},
		{name: "NaN", in: math.NaN(), want: "NaN"},
		{name: "infinity", in: float32(math.Inf(1)), want: "+Inf"},
		{name: "unencodable", in: make(chan int), want: "<chan>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := normalize(tt.in)
			if tt.name == "unencodable" {
				if _, ok := got.(string); !ok {
					t.Fatalf("normalize(chan) = %#v, want a string", got)
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("normalize(%#v) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}

// TestValidateOddInput checks that values of unusual Go types neither panic
// nor change the verdict.
func TestValidateOddInput(t *testing.T) {
	tests := []struct {
		name       string
		replicas   any
		wantStatus Status
	}{
		{name: "int", replicas: 3, wantStatus: Valid},
		{name: "int64", replicas: int64(3), wantStatus: Valid},
		{name: "uint8", replicas: uint8(3), wantStatus: Valid},
		{name: "float64 whole", replicas: 3.0, wantStatus: Valid},
		{name: "json number", replicas: json.Number("3"), wantStatus: Valid},
		{name: "NaN", replicas: math.NaN(), wantStatus: Invalid},
		{name: "bool", replicas: true, wantStatus: Invalid},
		{name: "nested list", replicas: []any{[]any{1}}, wantStatus: Invalid},
		{name: "explicit null", replicas: nil, wantStatus: Valid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := decode(t, deployment)
			obj["spec"].(map[string]any)["replicas"] = tt.replicas
			res := validator(t, "").Validate(obj)
			if res.Status != tt.wantStatus {
				t.Fatalf("status = %v, want %v; violations:%s", res.Status, tt.wantStatus, formatViolations(res.Violations))
			}
		})
	}
}

func TestValidateDoesNotModifyInput(t *testing.T) {
	obj := decode(t, deployment)
	before := decode(t, deployment)
	validator(t, "").Validate(obj)
	if !reflect.DeepEqual(obj, before) {
		t.Fatal("Validate modified its input")
	}
	if _, ok := obj["metadata"].(map[string]any)["creationTimestamp"]; !ok {
		t.Fatal("Validate removed a null value from its input")
	}
}
