package check

import (
	"context"
	"errors"
	"strings"
	"testing"

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
