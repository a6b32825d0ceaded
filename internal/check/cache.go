package check

import (
	"slices"
	"sync"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/source"
)

// A Cache keeps what a run rendered and found in each cluster, so that the
// next run with the same Cache renders and checks again only the clusters
// that Invalidate named; the others keep their objects and findings. It is
// what makes fluxlint lsp fast on save. Suppressions, rule settings and
// masking are applied afresh on every run, over all the findings.
//
// A Cache belongs to one repository and one set of options; it is safe for
// concurrent use, though runs that share it should not overlap.
type Cache struct {
	mu       sync.Mutex
	clusters map[flux.Entry]*cachedCluster
	// known holds the YAML files of the repository at the last run, to
	// tell a new file from one that no cluster reads.
	known map[string]bool
	// renders keeps the renders of single Flux Kustomizations, so that a
	// cluster forgotten is rendered again only where a changed file is
	// read.
	renders *render.Memo
}

// A cachedCluster is one cluster's render and its findings before
// post-processing (suppressions, settings, sort, masking).
type cachedCluster struct {
	cluster  *model.Cluster
	findings []finding.Finding
}

// NewCache returns an empty cache: the first run with it renders
// everything.
func NewCache() *Cache {
	return &Cache{clusters: map[flux.Entry]*cachedCluster{}, known: map[string]bool{}, renders: render.NewMemo()}
}

// Invalidate forgets the clusters that a changed file affects: those whose
// renders read it, or all of them when the file is new (any generated
// kustomization.yaml may now include it). A file that existed at the last
// run and that no cluster read affects none. The renders of single Flux
// Kustomizations are forgotten likewise. It returns the names of the
// clusters forgotten.
func (c *Cache) Invalidate(file string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var names []string
	for e, cc := range c.clusters {
		if _, read := slices.BinarySearch(cc.cluster.FilesRead, file); read {
			delete(c.clusters, e)
			names = append(names, e.Name)
		}
	}
	c.renders.Forget(file)
	if len(names) == 0 && !c.known[file] {
		for e := range c.clusters {
			names = append(names, e.Name)
		}
		clear(c.clusters)
		c.renders.Reset()
	}
	slices.Sort(names)
	return names
}

// Reset forgets everything, as after a change of configuration.
func (c *Cache) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.clusters)
	clear(c.known)
	c.renders.Reset()
}

// memo returns the memo of renders, or nil for a nil Cache.
func (c *Cache) memo() *render.Memo {
	if c == nil {
		return nil
	}
	return c.renders
}

// Len returns the number of clusters cached.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.clusters)
}

// cluster returns the cached render of a cluster, or nil. A nil Cache has
// nothing.
func (c *Cache) cluster(e flux.Entry) *model.Cluster {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cc := c.clusters[flux.Entry{Name: e.Name, Path: e.Path}]; cc != nil {
		return cc.cluster
	}
	return nil
}

// findings returns the cached findings of a rendered cluster, if that very
// render is cached.
func (c *Cache) findings(cl *model.Cluster) ([]finding.Finding, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	cc := c.clusters[flux.Entry{Name: cl.Name, Path: cl.Path}]
	if cc == nil || cc.cluster != cl || cc.findings == nil {
		return nil, false
	}
	return cc.findings, true
}

// store keeps a cluster's render and findings.
func (c *Cache) store(cl *model.Cluster, fs []finding.Finding) {
	if c == nil {
		return
	}
	if fs == nil {
		fs = []finding.Finding{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clusters[flux.Entry{Name: cl.Name, Path: cl.Path}] = &cachedCluster{cluster: cl, findings: fs}
}

// remember records the YAML files of the repository and forgets the
// clusters that the run no longer has (a folder removed, a configuration
// changed).
func (c *Cache) remember(repo *source.Repo, clusters []*model.Cluster) {
	if c == nil {
		return
	}
	known := map[string]bool{}
	_ = repo.WalkYAML(nil, func(rel string) { known[rel] = true }) // best effort: an unreadable folder only makes files look new
	keep := map[flux.Entry]bool{}
	for _, cl := range clusters {
		keep[flux.Entry{Name: cl.Name, Path: cl.Path}] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.known = known
	for e := range c.clusters {
		if !keep[e] {
			delete(c.clusters, e)
		}
	}
}
