package check

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/model"
)

// A Shard names one of Total deterministic parts of a run's clusters
// (--shard INDEX/TOTAL): a run with it checks only the clusters of its part,
// so that a CI matrix of Total jobs checks every cluster once. Index counts
// from 1, as GitLab's CI_NODE_INDEX does. The zero Shard is the whole run.
type Shard struct {
	Index, Total int
}

// ParseShard reads INDEX/TOTAL, with 1 <= INDEX <= TOTAL.
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(strings.TrimSpace(s), "/")
	index, err1 := strconv.Atoi(i)
	total, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("--shard %q: want INDEX/TOTAL, e.g. 1/4 (INDEX counts from 1)", s)
	}
	if total < 1 || index < 1 || index > total {
		return Shard{}, fmt.Errorf("--shard %q: want 1 <= INDEX <= TOTAL (INDEX counts from 1, as GitLab's CI_NODE_INDEX does)", s)
	}
	return Shard{Index: index, Total: total}, nil
}

// String returns INDEX/TOTAL, or "" for the whole run.
func (s Shard) String() string {
	if s.Total == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Total)
}

// A shardItem is one cluster to assign, with its size.
type shardItem struct {
	entry flux.Entry
	size  int
}

// assignShards splits items into total shards and returns each item's shard
// (0-based), in the order of items. Items go, largest first (ties by name,
// then path), to the shard with the least size so far (ties: the fewest
// items, then the lowest index): the greedy longest-processing-time rule.
// With no sizes (all zero) this deals the items out by sorted name, round
// robin. The result depends on the items only, never on their order, so
// every runner of a CI matrix computes the same assignment.
func assignShards(items []shardItem, total int) []int {
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		x, y := items[a], items[b]
		return cmp.Or(cmp.Compare(y.size, x.size), cmp.Compare(x.entry.Name, y.entry.Name), cmp.Compare(x.entry.Path, y.entry.Path))
	})
	load, count := make([]int, total), make([]int, total)
	out := make([]int, len(items))
	for _, i := range order {
		best := 0
		for s := 1; s < total; s++ {
			if load[s] < load[best] || load[s] == load[best] && count[s] < count[best] {
				best = s
			}
		}
		out[i] = best
		load[best] += items[i].size
		count[best]++
	}
	return out
}

// shardSize is a cluster's size for balancing: the objects its render made
// without charts, and each HelmRelease once more, whose templating is most
// of its render.
func shardSize(c *model.Cluster) int {
	return c.NumObjects() + c.NumHelmReleases()
}

// renderShard finds the run's clusters as renderClusters does, but with a
// light render (no Helm templating, no checks, no caches of renders), picks
// the clusters of the run's shard by the sizes of those renders, and
// renders and queues only those. Every runner of the shards finds the same
// clusters and the same sizes from the repository alone, so that the
// shards are disjoint and cover every cluster whatever each runner's cache
// holds.
//
// Clusters named in the configuration or with --cluster (and not pruned)
// are the run's clusters as they are: they are dealt out by sorted name
// without any render, so a cold shard renders only its own.
func (r *run) renderShard(ctx context.Context, sources *flux.Sources, entries []flux.Entry, chk *checks) ([]*model.Cluster, error) {
	var items []shardItem
	if len(r.cfg.Clusters) > 0 && !r.cfg.Prune {
		for _, e := range entries {
			items = append(items, shardItem{entry: e})
		}
	} else {
		found, err := r.findLight(ctx, sources, entries)
		if err != nil {
			return nil, err
		}
		for _, c := range found {
			items = append(items, shardItem{entry: flux.Entry{Name: c.Name, Path: c.Path, Via: c.Via}, size: shardSize(c)})
		}
	}
	var own []flux.Entry
	for i, s := range assignShards(items, r.cfg.Shard.Total) {
		if s == r.cfg.Shard.Index-1 {
			own = append(own, items[i].entry)
		}
	}
	return r.renderAll(ctx, sources, own, 0, chk.add), nil
}

// findLight returns the clusters of the run as renderClusters finds them,
// rendered without charts: their entries and sizes depend on the
// repository only. Each light render is kept in the cache folder (when the
// run has a result cache) and taken from there while the files it read and
// the repository's list of files are unchanged (loadLight), so a CI
// matrix whose cache an earlier run filled skips the renders of discovery
// for the clusters that did not change.
func (r *run) findLight(ctx context.Context, sources *flux.Sources, entries []flux.Entry) ([]*model.Cluster, error) {
	charts := sources.Charts
	sources.Charts = nil // renders are serial, and none runs yet
	defer func() { sources.Charts = charts }()
	light := func(es []flux.Entry, _ int) []*model.Cluster {
		out := make([]*model.Cluster, len(es))
		for i, e := range es {
			if c, ok := r.results.loadLight(e); ok {
				out[i] = c
				continue
			}
			c := renderSafely(ctx, r.repo, sources, e)
			// Only the entry, the files read and the counts are needed.
			c.Released = &model.Counts{Objects: len(c.Objects), HelmReleases: len(c.HelmReleases)}
			c.Objects, c.HelmReleases, c.SelfSources, c.Outside = nil, nil, nil, nil
			if ctx.Err() == nil {
				r.results.saveLight(e, c)
			}
			out[i] = c
		}
		return out
	}
	if len(r.cfg.Clusters) > 0 {
		clusters := light(entries, 0)
		if r.cfg.Prune {
			clusters, _ = flux.Prune(clusters)
		}
		return clusters, nil
	}
	return r.discover(ctx, entries, light)
}
