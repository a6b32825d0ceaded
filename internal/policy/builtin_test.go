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

// TestBuiltinModulesParsedOnceStayUnchanged checks that the built-in
// rules, parsed once per process and shared by every engine, come out of
// engines' compilation as they were parsed.
func TestBuiltinModulesParsedOnceStayUnchanged(t *testing.T) {
	before := map[string]string{}
	parsed, err := parsedBuiltins()
	if err != nil {
		t.Fatal(err)
	}
	for name, m := range parsed {
		before[name] = m.String()
	}
	for range 2 {
		if _, err := New(context.Background(), Options{}); err != nil {
			t.Fatal(err)
		}
	}
	mine, err := builtinModules()
	if err != nil {
		t.Fatal(err)
	}
	for name := range mine {
		mine[name] = nil
	}
	again, err := parsedBuiltins()
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(before) {
		t.Fatalf("%d built-in modules after use, %d before", len(again), len(before))
	}
	for name, m := range again {
		if m == nil || m.String() != before[name] {
			t.Errorf("built-in module %s changed after engines compiled it", name)
		}
	}
}
