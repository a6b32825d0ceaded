package finding

import (
	"slices"
	"strings"
	"testing"
)

func TestNewCatalog(t *testing.T) {
	ok := func(id string) Rule { return Rule{ID: id, Title: "t " + id, Fix: "f"} }
	tests := []struct {
		name    string
		rules   []Rule
		wantErr string
		wantIDs []string
	}{
		{name: "sorted by ID", rules: []Rule{ok("yaml-syntax"), ok("flux-source-missing"), ok("kustomize-build")}, wantIDs: []string{"flux-source-missing", "kustomize-build", "yaml-syntax"}},
		{name: "empty", rules: nil, wantIDs: []string{}},
		{name: "duplicate", rules: []Rule{ok("a"), ok("b"), ok("a")}, wantErr: `rule "a" is defined twice`},
		{name: "missing ID", rules: []Rule{ok("a"), {Title: "t", Fix: "f"}}, wantErr: "id, title and fix are required"},
		{name: "missing title", rules: []Rule{{ID: "x", Fix: "f"}}, wantErr: `rule "x": id, title and fix are required`},
		{name: "missing fix", rules: []Rule{{ID: "x", Title: "t"}}, wantErr: `rule "x": id, title and fix are required`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.rules)
			c, err := NewCatalog(tt.rules...)
			if !slices.EqualFunc(in, tt.rules, func(a, b Rule) bool { return a.ID == b.ID }) {
				t.Error("NewCatalog reordered its argument")
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("NewCatalog error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ids := []string{}
			for _, r := range c.Rules() {
				ids = append(ids, r.ID)
			}
			if !slices.Equal(ids, tt.wantIDs) {
				t.Errorf("Rules() = %v, want %v", ids, tt.wantIDs)
			}
		})
	}
}

func TestCatalogLookup(t *testing.T) {
	c, err := NewCatalog(
		Rule{ID: "yaml-syntax", Severity: Error, Title: "Invalid YAML", Fix: "fix it"},
		Rule{ID: "flux-source-unavailable", Severity: Warning, Title: "Source unavailable", Fix: "map it"},
		Rule{ID: "kustomize-build", Severity: Error, Title: "Build fails", Fix: "build it"},
	)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id        string
		wantOK    bool
		wantTitle string
	}{
		{id: "yaml-syntax", wantOK: true, wantTitle: "Invalid YAML"},
		{id: "flux-source-unavailable", wantOK: true, wantTitle: "Source unavailable"},
		{id: "kustomize-build", wantOK: true, wantTitle: "Build fails"},
		{id: "yaml"},
		{id: "yaml-syntax-x"},
		{id: ""},
		{id: "zzz"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			r, ok := c.Lookup(tt.id)
			if ok != tt.wantOK || r.Title != tt.wantTitle {
				t.Errorf("Lookup(%q) = %+v, %v; want title %q, %v", tt.id, r, ok, tt.wantTitle, tt.wantOK)
			}
			if ok && r.ID != tt.id {
				t.Errorf("Lookup(%q) returned rule %q", tt.id, r.ID)
			}
		})
	}
	t.Run("Rules returns a copy", func(t *testing.T) {
		rs := c.Rules()
		rs[0].ID = "changed"
		if _, ok := c.Lookup(c.Rules()[0].ID); !ok || c.Rules()[0].ID == "changed" {
			t.Error("changing the result of Rules changed the catalog")
		}
	})
}

func TestRuleFamily(t *testing.T) {
	tests := []struct{ id, want string }{
		{id: "yaml-syntax", want: "yaml"},
		{id: "flux-source-unavailable", want: "flux"},
		{id: "plain", want: "plain"},
		{id: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if got := (Rule{ID: tt.id}).Family(); got != tt.want {
				t.Errorf("Family() = %q, want %q", got, tt.want)
			}
		})
	}
}
