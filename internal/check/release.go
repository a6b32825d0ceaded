package check

import (
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/model"
)

// A releaser drops the objects of clusters once they are checked
// (Config.Release), keeping their secret values for masking the output
// and the result cache.
type releaser struct {
	mu      sync.Mutex
	secrets map[*model.Cluster][]string
	// gc keeps the heap goal of the run at least heapFloor, or is nil.
	gc *gcFloor
}

// release notes a checked cluster's secret values and counts, then drops
// its objects. A cluster restored from a cache has none to drop.
func (rl *releaser) release(c *model.Cluster) {
	if c.Restored != nil || c.Released != nil {
		return
	}
	secrets := SecretValues(c)
	rl.mu.Lock()
	rl.secrets[c] = secrets
	rl.mu.Unlock()
	c.Released = &model.Counts{Objects: len(c.Objects), HelmReleases: len(c.HelmReleases)}
	c.Objects, c.HelmReleases, c.SelfSources, c.Outside = nil, nil, nil, nil
}

// secretValues returns the secret values of one of the result's clusters:
// those noted when it was released, else those of its objects.
func (res *Result) secretValues(c *model.Cluster) []string {
	if s, ok := res.secrets[c]; ok {
		return s
	}
	return SecretValues(c)
}

// errRecheck says that discovery dropped a candidate cluster (flux.Prune)
// that had been checked already (Config.Release checks each as soon as it
// is rendered): the run is done again with the clusters that discovery
// kept, named, so that the output is the one of a run that checks only
// those.
type errRecheck struct{ entries []flux.Entry }

func (errRecheck) Error() string { return "discovery dropped a cluster that was checked: check again" }

// speculate returns a renderer for discovery that queues each cluster for
// checking as soon as it is rendered, and a function that returns an
// errRecheck when the clusters discovery kept are not all that it queued,
// in the same order.
func (r *run) speculate(ctx context.Context, sources *flux.Sources, chk *checks) (func([]flux.Entry, int) []*model.Cluster, func([]*model.Cluster) error) {
	var queued []*model.Cluster
	// entries keeps the entry each cluster was rendered from: its
	// Instance and versions are not in the cluster, and a recheck that
	// named it without them would render another cluster (a FluxInstance
	// sync's Flux release unknown).
	entries := map[*model.Cluster]flux.Entry{}
	all := func(es []flux.Entry, done int) []*model.Cluster {
		out := r.renderAll(ctx, sources, es, done, func(c *model.Cluster) {
			queued = append(queued, c)
			r.noteFlux(c)
			chk.add(c)
		})
		for i, c := range out {
			entries[c] = es[i]
		}
		return out
	}
	verify := func(kept []*model.Cluster) error {
		if slices.Equal(kept, queued) {
			return nil
		}
		e := errRecheck{}
		for _, c := range kept {
			entry, ok := entries[c]
			if !ok {
				entry = flux.Entry{Name: c.Name, Path: c.Path, Via: c.Via}
			}
			e.entries = append(e.entries, entry)
		}
		return e
	}
	return all, verify
}

// noteFlux notes whether a cluster's renders hold a Flux object before it
// is queued for checks, which may release its objects while discovery
// still looks at it (argoCDRepository).
func (r *run) noteFlux(c *model.Cluster) {
	if r.fluxRenders == nil {
		r.fluxRenders = map[*model.Cluster]bool{}
	}
	r.fluxRenders[c] = flux.RendersFlux(c)
}

// rendersFlux reports whether a cluster's renders hold a Flux object, as
// noted when it was queued for checks, else from its objects.
func (r *run) rendersFlux(c *model.Cluster) bool {
	if v, ok := r.fluxRenders[c]; ok {
		return v
	}
	return flux.RendersFlux(c)
}

// asRecheck reports whether err asks for the run to be done again.
func asRecheck(err error) (errRecheck, bool) {
	var e errRecheck
	ok := errors.As(err, &e)
	return e, ok
}

// renderSpeculating renders the candidate clusters (discovery's, or those
// of --changed-since) and queues each for checking, to be released, as
// soon as it is rendered, rather than once pruning is done: only a few
// clusters' objects are in memory at once. When pruning drops a cluster
// that was checked already (it is a part of another), the error is an
// errRecheck: Run checks the clusters kept again, named.
func (r *run) renderSpeculating(ctx context.Context, sources *flux.Sources, entries []flux.Entry, chk *checks) ([]*model.Cluster, error) {
	all, verify := r.speculate(ctx, sources, chk)
	if len(r.cfg.Clusters) > 0 {
		clusters, _ := flux.Prune(all(entries, 0))
		return clusters, verify(clusters)
	}
	clusters, err := r.discover(ctx, entries, all)
	if err != nil {
		return nil, err
	}
	return clusters, verify(clusters)
}
