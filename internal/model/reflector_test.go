package model

import (
	"reflect"
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
)

func TestReflected(t *testing.T) {
	secret := func(ann map[string]any) *Object {
		return &Object{Ref: finding.ObjectRef{APIVersion: "v1", Kind: "Secret", Namespace: "db", Name: "auth"},
			Content: map[string]any{"metadata": map[string]any{"annotations": ann}, "stringData": map[string]any{"password": "x"}}}
	}
	a := func(kv ...string) map[string]any {
		m := map[string]any{}
		for i := 0; i < len(kv); i += 2 {
			m[reflectorAnnotation+kv[i]] = kv[i+1]
		}
		return m
	}
	on := []string{"reflection-allowed", "true", "reflection-auto-enabled", "true"}
	tests := []struct {
		name string
		ann  map[string]any
		want []string
	}{
		{"not asked", a("reflection-allowed", "true"), nil},
		{"listed and allowed", a(append(on, "reflection-auto-namespaces", "apps, web,db", "reflection-allowed-namespaces", "apps,db")...), []string{"apps"}},
		{"a regular expression", a(append(on, "reflection-auto-namespaces", "team-[0-9]+")...), []string{AnyNamespace}},
		{"every namespace", a(on...), []string{AnyNamespace}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, m := range Produces(secret(tt.ann)) {
				got = append(got, m.Namespace)
				if m.Name != "auth" || !m.Keys["password"] {
					t.Errorf("copy %+v: want the name auth and the key password", m)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("namespaces = %v, want %v", got, tt.want)
			}
		})
	}
}
