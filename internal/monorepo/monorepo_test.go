package monorepo

import "testing"

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := Generate(2, 3), Generate(2, 3)
	if len(a) != len(b) {
		t.Fatalf("two runs wrote %d and %d files", len(a), len(b))
	}
	for p, body := range a {
		if b[p] != body {
			t.Errorf("%s differs between two runs", p)
		}
	}
}
