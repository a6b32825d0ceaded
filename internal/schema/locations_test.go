package schema

import (
	"os"
	"path/filepath"
	"testing"
)

// TestLocationKindCannotNameAnotherFolder: a repository object's kind fills
// the schema location template, so a kind with a path in it must not make
// the template name a file in another folder.
func TestLocationKindCannotNameAnotherFolder(t *testing.T) {
	dir := t.TempDir()
	schemas := filepath.Join(dir, "schemas")
	if err := os.MkdirAll(schemas, 0o755); err != nil {
		t.Fatal(err)
	}
	const doc = `{"type": "object"}`
	for _, name := range []string{filepath.Join(schemas, "widget.json"), filepath.Join(dir, "secret.json")} {
		if err := os.WriteFile(name, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	l, err := newLocations([]string{schemas + "/{{ .ResourceKind }}.json"}, "1.35", true)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		k    gvk
		want bool
	}{
		{name: "plain kind", k: gvk{group: "example.com", version: "v1", kind: "Widget"}, want: true},
		{name: "kind climbing out", k: gvk{group: "example.com", version: "v1", kind: "../secret"}},
		{name: "group climbing out", k: gvk{group: "../..", version: "v1", kind: "Widget"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sch, err := l.lookup(t.Context(), tt.k)
			if err != nil || (sch != nil) != tt.want {
				t.Fatalf("lookup(%v) = %v, %v; want a schema: %v", tt.k, sch, err, tt.want)
			}
		})
	}
}
