package check

import (
	"context"
	"slices"
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// TestProcessorOrder pins the order of the post-processing steps, which
// processors documents step by step.
func TestProcessorOrder(t *testing.T) {
	var names []string
	for _, p := range processors(Config{}, nil) {
		names = append(names, p.Name())
	}
	want := []string{"dedupe", "suppress", "settings", "sort", "mask"}
	if !slices.Equal(names, want) {
		t.Errorf("steps %v, want %v", names, want)
	}
}

func TestDedupeKeepsOneUnknownKind(t *testing.T) {
	unknown := finding.Finding{RuleID: "schema-kind-unknown", Message: "no schema for example.com/v1 Widget"}
	other := finding.Finding{RuleID: "ref-secret-missing", Message: "no Secret"}
	got := dedupe{}.Process(nil, []finding.Finding{unknown, other, unknown, other})
	if len(got) != 3 || got[0].RuleID != unknown.RuleID || got[1].RuleID != other.RuleID || got[2].RuleID != other.RuleID {
		t.Errorf("got %v, want the kind once and both other findings", got)
	}
}

// panicking is a checker with a bug.
type panicking struct{}

func (panicking) Check(context.Context, *model.Cluster) []finding.Finding {
	panic("index out of range")
}

type reporting struct{}

func (reporting) Check(context.Context, *model.Cluster) []finding.Finding {
	return []finding.Finding{{RuleID: "ref-secret-missing", Severity: finding.Error}}
}

// TestCheckerCrashIsAFinding: a checker that panics becomes an
// internal-error finding of the cluster, the other checkers still report,
// and the cluster's findings are not cached.
func TestCheckerCrashIsAFinding(t *testing.T) {
	c := &model.Cluster{Name: "prod", Path: "clusters/prod"}
	cache := NewCache()
	lazy := &lazyCheckers{build: func() ([]Checker, error) { return []Checker{panicking{}, reporting{}}, nil }}
	fs := checkCluster(context.Background(), c, lazy, cache)
	if len(fs) != 2 || fs[0].RuleID != RuleInternal || fs[0].Pos.File != "clusters/prod" || fs[0].Cluster != "prod" || fs[1].RuleID != "ref-secret-missing" {
		t.Fatalf("findings %v, want internal-error at the cluster, then the other checker's", fs)
	}
	if _, ok := cache.findings(c); ok {
		t.Error("the findings of a crashed check are cached")
	}
}
