package check

import (
	"slices"

	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// joinOrphans renders again (with all) each cluster that orphans join
// (flux.Joins), with the orphan's root Kustomizations applied beside its
// entry, and drops those orphans. entries are the discovered entries the
// clusters were rendered from.
func joinOrphans(repo *source.Repo, clusters []*model.Cluster, entries []flux.Entry, all func(es []flux.Entry, done int) []*model.Cluster) []*model.Cluster {
	joins := flux.Joins(repo, clusters)
	if len(joins) == 0 {
		return clusters
	}
	out := slices.Clone(clusters)
	for o, m := range joins {
		i := slices.Index(out, m)
		j := slices.IndexFunc(entries, func(e flux.Entry) bool { return e.Path == m.Path && e.Name == m.Name && e.Joined == "" })
		if i < 0 || j < 0 {
			continue
		}
		e := entries[j]
		e.Joined = o.Path
		again := all([]flux.Entry{e}, len(entries))
		if len(again) != 1 || again[0] == nil {
			continue
		}
		out[i] = again[0]
		out = slices.DeleteFunc(out, func(c *model.Cluster) bool { return c == o })
	}
	return out
}
