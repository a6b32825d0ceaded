package xref

import "testing"

func TestClosest(t *testing.T) {
	cases := []struct {
		name, target string
		candidates   []string
		want         string
	}{
		{name: "one typo", target: "app-confg", candidates: []string{"app-config", "db"}, want: "app-config"},
		{name: "transposition", target: "wbe", candidates: []string{"web"}, want: "web"},
		{name: "dash-separated extension", target: "podinfo-web", candidates: []string{"podinfo"}, want: "podinfo"},
		{name: "too far", target: "redis", candidates: []string{"postgres"}, want: ""},
		{name: "short names need one edit", target: "db", candidates: []string{"mq"}, want: ""},
		{name: "nearest wins", target: "config-a", candidates: []string{"config-ab", "config-a1b2"}, want: "config-ab"},
		{name: "the name itself is no hint", target: "web", candidates: []string{"web"}, want: ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := closest(c.target, c.candidates); got != c.want {
				t.Errorf("closest(%q, %q) = %q, want %q", c.target, c.candidates, got, c.want)
			}
		})
	}
}

func TestHashSuffixed(t *testing.T) {
	if got := hashSuffixed("app", []string{"app-config", "app-5f9c8b7d6k"}); got != "app-5f9c8b7d6k" {
		t.Errorf("got %q, want the generated name", got)
	}
	if got := hashSuffixed("app", []string{"app-config-5f9c8b7d6k"}); got != "" {
		t.Errorf("got %q for another generator's name", got)
	}
	if got := hashSuffixed("kopiur", []string{"kopiur-repository"}); got != "" {
		t.Errorf("got %q, a word of ten letters that is no kustomize hash", got)
	}
}

func TestTypoOf(t *testing.T) {
	cases := []struct {
		name, other string
		want        bool
	}{
		{"flux-operatro", "flux-operator", true},
		{"flxu", "flux", true},  // two neighbours swapped
		{"flox", "flux", false}, // a short name one letter off is as likely another name
		{"web1", "web2", false}, // a different number
		{"external-secrest", "external-secrets", true},
	}
	for _, c := range cases {
		if got := typoOf(c.name, c.other); got != c.want {
			t.Errorf("typoOf(%q, %q) = %v, want %v", c.name, c.other, got, c.want)
		}
	}
}
