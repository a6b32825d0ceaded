package schema

import (
	"context"
	"testing"

	"github.com/fluxlint/fluxlint/internal/model"
)

// TestKeepResults shows that a validator that keeps results gives an
// object's findings again without validating it, while the object and its
// cluster's context are the same, and validates it again when either
// changes.
func TestKeepResults(t *testing.T) {
	seed, err := NewWithOptions(Options{})
	if err != nil {
		t.Fatal(err)
	}
	seed.KeepResults()
	run := func(c *model.Cluster) string {
		// A Checker per run, as fluxlint check.Run makes them.
		return ruleSummary(NewChecker(Options{}, seed, nil).Check(context.Background(), c))
	}
	alert := testObject(t, "clusters/prod/alert.yaml", operatorAlert)
	c := &model.Cluster{Name: "prod", Path: "clusters/prod", Via: model.ViaBootstrap, Objects: []*model.Object{alert}}
	if got := run(c); got != "schema-invalid:10" {
		t.Fatalf("first run: %q, want schema-invalid:10", got)
	}
	// Objects are never changed in place; doing it shows that the
	// findings are kept, not computed again.
	valid := testObject(t, "clusters/prod/alert.yaml", operatorAlert)
	alert.Content = testObject(t, "clusters/prod/ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n").Content
	if got := run(c); got != "schema-invalid:10" {
		t.Errorf("same object, same context: %q, want the kept schema-invalid:10", got)
	}
	c.Operator = true
	if got := run(c); got != "" {
		t.Errorf("with Flux Operator (another context): %q, want the object validated again, without findings", got)
	}
	c.Operator = false
	c.Objects = []*model.Object{valid}
	if got := run(c); got != "schema-invalid:10" {
		t.Errorf("a new object: %q, want it validated: schema-invalid:10", got)
	}
}
