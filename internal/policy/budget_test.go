package policy

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// busyLoop never ends on its own: 10^12 iterations, with no memory to
// speak of.
const busyLoop = `package main

deny contains "never" if {
	some i in numbers.range(1, 10000)
	some j in numbers.range(1, 10000)
	some k in numbers.range(1, 10000)
	i + j + k < 0
}
`

// configMaps returns n small objects.
func configMaps(t *testing.T, n int) []*model.Object {
	t.Helper()
	out := make([]*model.Object, n)
	for i := range out {
		out[i] = object(t, "cm.yaml", fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-%d\n  namespace: default\n", i))
	}
	return out
}

// TestBudgetBoundsTheRun runs a policy that loops forever on 1,000 objects
// in two clusters with a budget of 200 ms: the run ends with one finding,
// policy-budget-exceeded, at the first cluster, and the engine says its
// findings are incomplete. Nothing here measures time: that the test ends
// shows the bound (each evaluation alone would run for hours).
func TestBudgetBoundsTheRun(t *testing.T) {
	dir := policyDir(t, map[string]string{"loop.rego": busyLoop})
	e, err := New(context.Background(), Options{Dirs: []string{dir}, NoBuiltins: true, Budget: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	objs := configMaps(t, 1000)
	var got []finding.Finding
	for i, c := range []*model.Cluster{
		{Name: "one", Path: "clusters/one", Objects: objs[:500]},
		{Name: "two", Path: "clusters/two", Objects: objs[500:]},
	} {
		fs := e.Check(context.Background(), c)
		if i == 0 && (len(fs) != 1 || fs[0].Pos.File != "clusters/one") {
			t.Errorf("first cluster: %v, want the budget finding", fs)
		}
		got = append(got, fs...)
	}
	if len(got) != 1 || got[0].RuleID != RuleBudget || !strings.Contains(got[0].Message, "time budget of 200ms") {
		t.Fatalf("got %d findings %v, want one %s", len(got), got, RuleBudget)
	}
	if !e.Incomplete() {
		t.Error("the engine does not say it skipped evaluations")
	}
}

// TestBudgetMemory stops the same loop by the heap limit: one finding that
// names the heap.
func TestBudgetMemory(t *testing.T) {
	dir := policyDir(t, map[string]string{"loop.rego": busyLoop})
	e, err := New(context.Background(), Options{Dirs: []string{dir}, NoBuiltins: true, MaxMemory: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := e.Check(context.Background(), &model.Cluster{Name: "c", Path: "clusters/c", Objects: configMaps(t, 100)})
	if len(got) != 1 || got[0].RuleID != RuleBudget || !strings.Contains(got[0].Message, "heap") {
		t.Fatalf("got %v, want one %s about the heap", got, RuleBudget)
	}
}

// TestBudgetUntouched: policies that end leave the budget alone.
func TestBudgetUntouched(t *testing.T) {
	dir := policyDir(t, map[string]string{"ok.rego": "package main\n\ndeny contains \"cm\" if input.kind == \"ConfigMap\"\n"})
	e, err := New(context.Background(), Options{Dirs: []string{dir}, NoBuiltins: true})
	if err != nil {
		t.Fatal(err)
	}
	got := e.Check(context.Background(), &model.Cluster{Name: "c", Path: "clusters/c", Objects: configMaps(t, 50)})
	if len(got) != 50 || e.Incomplete() {
		t.Fatalf("%d findings, incomplete %v; want 50, complete", len(got), e.Incomplete())
	}
}
