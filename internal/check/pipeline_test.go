package check

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

func TestCheckersAreMadeOnlyWhenNeeded(t *testing.T) {
	restored := func() *model.Cluster { return &model.Cluster{Restored: &model.Counts{}} }
	failing := errors.New("unsupported Flux version")
	for _, tc := range []struct {
		name     string
		clusters []*model.Cluster
		built    bool
	}{
		{"every cluster from the result cache", []*model.Cluster{restored(), restored()}, false},
		{"one cluster rendered", []*model.Cluster{restored(), {}}, true},
		{"no cluster", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			built := false
			l := &lazyCheckers{build: func() ([]Checker, error) { built = true; return nil, failing }}
			err := l.settle(tc.clusters)
			if built != tc.built {
				t.Errorf("checkers made: %v, want %v", built, tc.built)
			}
			if tc.built && !errors.Is(err, failing) {
				t.Errorf("settle returned %v, want the error of making the checkers", err)
			}
		})
	}
}

func TestBadFluxVersionIsStillAnError(t *testing.T) {
	dir := cacheRepo(t)
	_, err := Run(context.Background(), Config{Path: dir, Offline: true, CacheDir: t.TempDir(), FluxVersion: "2.1"}, Deps{})
	if err == nil || !strings.Contains(err.Error(), "unsupported Flux version") {
		t.Errorf("Run with Flux 2.1: error %v, want unsupported Flux version", err)
	}
}

// orderedChecker returns its findings once before, when set, has closed.
type orderedChecker struct {
	rule   string
	before <-chan struct{}
	done   chan struct{}
}

func (o orderedChecker) Check(context.Context, *model.Cluster) []finding.Finding {
	defer close(o.done)
	if o.before != nil {
		select {
		case <-o.before:
		case <-time.After(10 * time.Second):
			return []finding.Finding{{RuleID: o.rule + " waited in vain"}}
		}
	}
	return []finding.Finding{{RuleID: o.rule}}
}

func TestCheckersOfAClusterRunSideBySide(t *testing.T) {
	// The first checker finishes only after the second: run one after
	// the other, the first would wait in vain. The findings still come in
	// the checkers' order.
	first := orderedChecker{rule: "first", done: make(chan struct{})}
	second := orderedChecker{rule: "second", done: make(chan struct{})}
	first.before = second.done
	l := &lazyCheckers{build: func() ([]Checker, error) { return []Checker{first, second}, nil }}
	var rules []string
	for _, f := range checkCluster(context.Background(), &model.Cluster{Name: "c"}, l, NewCache()) {
		rules = append(rules, f.RuleID)
	}
	if strings.Join(rules, ",") != "first,second" {
		t.Errorf("findings of rules %v, want first,second", rules)
	}
}

func TestPrepareMakesTheCheckersOnce(t *testing.T) {
	made := make(chan struct{}, 2)
	l := &lazyCheckers{build: func() ([]Checker, error) { made <- struct{}{}; return nil, nil }}
	l.prepare()
	l.prepare()
	<-made
	if _, err := l.get(); err != nil {
		t.Fatal(err)
	}
	if len(made) != 0 {
		t.Error("the checkers were made twice")
	}
	var none *lazyCheckers
	none.prepare() // a run without checkers: nothing to start
}
