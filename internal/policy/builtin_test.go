package policy

import (
	"context"
	"testing"
)

// TestBuiltinRegoTests runs the _test.rego files of the built-in rules.
func TestBuiltinRegoTests(t *testing.T) {
	results, err := BuiltinTests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(results) < 20 {
		t.Fatalf("ran %d Rego tests; the built-in rules have more", len(results))
	}
	for _, r := range results {
		if !r.Pass {
			t.Errorf("%s (%s) failed: %v\n%s", r.Name, r.Pos, r.Err, r.Output)
		}
	}
}
