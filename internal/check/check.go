package check

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/schema"
	"github.com/fluxlint/fluxlint/internal/source"
)

// treeBudget is the number of lines of YAML whose node trees a run that
// releases its clusters (Config.Release) keeps (source.Repo.KeepTrees):
// about 20 MB, yaml.v3 spending some 430 bytes a line on bench/genrepo's
// files. The trees of a cluster's files were most of what its render held;
// past the budget, a tree is parsed again from the text only when a check
// places a finding in it or a later render reads its file.
const treeBudget = 50_000

// A Result is what a check found.
type Result struct {
	Repo     *source.Repo
	Clusters []*model.Cluster
	Findings []finding.Finding
	// Cache counts what came from Deps.Store; nil without one.
	Cache *cache.Stats
	// Shard is the part of the clusters the run checked (Config.Shard);
	// zero for all of them.
	Shard Shard
	// secrets holds the secret values of the clusters whose objects were
	// released (Config.Release).
	secrets map[*model.Cluster][]string
}

// A Checker looks at one rendered cluster and reports what is wrong with
// it. It must not change the cluster's objects. Checkers run in a fixed
// order, cluster by cluster, so a stateful checker (one that reports a kind
// once per run) gives the same output every time. A checker that panics
// is reported as an internal-error finding of the cluster.
type Checker interface {
	Check(ctx context.Context, c *model.Cluster) []finding.Finding
}

// A run is the state of one Run: the configuration, and the dependencies
// as the run uses them.
type run struct {
	cfg  Config
	repo *source.Repo
	// store is Deps.Store, counting its lookups in stats; nil without one.
	store Store
	stats *cache.Stats
	// cache is Deps.Cache, or one of the run's own when the result cache
	// passes restored clusters through it; callerCache says it is the
	// caller's.
	cache       *Cache
	callerCache bool
	results     *resultCache
	progress    func(done, total int)
	// files hashes the files the run depends on, each once, from the
	// bytes the repository read when it did (source.Repo.Read).
	files *cache.FileMemo
	// gc keeps the heap goal of a releasing run at least heapFloor, or
	// is nil.
	gc *gcFloor
	// fluxRenders notes whether the renders of each cluster queued for
	// checks during discovery hold a Flux object (noteFlux).
	fluxRenders map[*model.Cluster]bool
	// checkers are made for the first cluster that is rendered, not
	// restored.
	checkers *lazyCheckers
}

// Run checks a repository. The error is for problems that stop the whole
// run (no repository, an unknown Kubernetes version); everything else is a
// finding.
func Run(ctx context.Context, cfg Config, deps Deps) (*Result, error) {
	r, err := newRun(cfg, deps)
	if err != nil {
		return nil, err
	}
	defer r.gc.stop()
	repo := r.repo
	kubeVersion, err := cfg.checkVersions()
	if err != nil {
		return nil, err
	}
	// The checkers are made when the first cluster is checked, after
	// useResults.
	checkers := &lazyCheckers{build: func() ([]Checker, error) { return newCheckers(ctx, cfg, deps, r.schemaResults()) }}
	r.checkers = checkers
	entries, err := r.clusterEntries()
	if err != nil {
		return nil, err
	}
	sources := flux.NewSources(repo, cfg.Sources)
	sources.FluxVersion = cfg.FluxVersion
	sources.Memo = deps.Cache.memo()
	for _, e := range entries {
		sources.Clusters = append(sources.Clusters, e.Path)
	}
	if !cfg.SkipHelm {
		if sources.Charts, err = r.charts(kubeVersion); err != nil {
			return nil, err
		}
	}
	r.useResults(sources)
	// Clusters are checked in a goroutine of their own as they are
	// rendered, in render order: renders are serial (see renderAll), so
	// the checks of one cluster use the other core while the next renders.
	var rel *releaser
	if cfg.Release && !r.callerCache {
		rel = &releaser{secrets: map[*model.Cluster][]string{}, gc: r.gc}
		repo.KeepTrees(treeBudget)
	}
	chk := startChecks(ctx, checkers, r.cache, rel)
	res := &Result{Repo: repo, Cache: r.stats, Shard: cfg.Shard}
	res.Clusters, err = r.renderClusters(ctx, sources, entries, chk)
	if err != nil {
		chk.wait()
		if e, ok := asRecheck(err); ok {
			cfg.Clusters, cfg.Prune = e.entries, false
			return Run(ctx, cfg, deps)
		}
		return nil, err
	}
	res.Findings = chk.wait()
	if rel != nil {
		res.secrets = rel.secrets
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkers.settle(res.Clusters); err != nil {
		return nil, err
	}
	r.keep(res)
	postProcess(res, cfg)
	return res, nil
}

// filled reports whether the run's cache folder holds what earlier runs
// rendered. Such a run restores most of its renders and allocates little,
// so its heap floor grows with the live heap (filledFloorPercent) where a
// cold run's starts at heapFloor (a cold run of buroa-k8s-gitops takes
// 2.4 s of CPU without a floor and 2.2 s with it).
func filled(store Store) bool {
	h, ok := store.(interface{ Holds(bucket string) bool })
	return ok && h.Holds(render.PlanBucket)
}

// newRun opens the repository of a run and sets up its reads: the
// repository notes the suppression comments of the files it reads, and,
// with a cache folder, hands their bytes to the run's file hashes, which
// the caches use. A releasing run keeps a heap floor (r.gc, which Run
// stops): without one, discovery and the caches' lookups, before the
// first render, would collect four times on their way to 10 MB.
func newRun(cfg Config, deps Deps) (*run, error) {
	var gc *gcFloor
	if cfg.Release && deps.Cache == nil {
		ceiling := maxFloorPercent
		if filled(deps.Store) {
			ceiling = filledFloorPercent
		}
		gc = startGCFloor(heapFloor, ceiling)
	}
	repo, err := source.Open(cfg.Path)
	if err != nil {
		gc.stop()
		return nil, err
	}
	cfg.Limits.applyToRepo(repo)
	repo.Note(suppressMarker)
	r := &run{cfg: cfg, repo: repo, cache: deps.Cache, callerCache: deps.Cache != nil, progress: deps.Progress,
		files: &cache.FileMemo{}, gc: gc}
	r.countStore(deps.Store)
	if r.store != nil {
		repo.Read = r.files.Add
	}
	return r, nil
}

// countStore makes the run's store count its lookups.
func (r *run) countStore(store Store) {
	if store == nil {
		return
	}
	r.store, r.stats = cache.Counting(store)
}

// useResults sets up the result cache and the build cache when the
// configuration allows them.
func (r *run) useResults(sources *flux.Sources) {
	if r.results = newResultCache(r.cfg, r.store, r.repo, sources.SelfURLs(), r.files); r.results == nil {
		return
	}
	sources.Builds = &render.BuildCache{Store: r.store, Salt: cache.Stamp() + "\x00" + r.results.listing, Files: r.files}
	if sources.Charts != nil {
		r.results.charts = sources.Charts.Repositories
	}
	if r.cache == nil {
		// Restored clusters and their findings pass through the in-memory
		// cache.
		r.cache = NewCache()
	}
}

// schemaResults is where the schema checker keeps each object's result
// between runs: beside the result cache, under the run's configuration,
// when the run has one.
func (r *run) schemaResults() cache.Bucket {
	if r.results == nil {
		return cache.Bucket{}
	}
	return cache.Bucket{Store: r.store, Name: "schema-v3", Salt: r.results.runKey}
}

// keep records what the run rendered and found for the next runs: in the
// caller's in-memory cache (fluxlint lsp), which learns the repository's
// files, and in the result cache.
func (r *run) keep(res *Result) {
	if r.callerCache {
		r.cache.remember(r.repo, res.Clusters)
	}
	if r.results != nil {
		var secrets []string
		for _, c := range res.Clusters {
			secrets = append(secrets, res.secretValues(c)...)
		}
		r.results.save(res.Clusters, r.cache, secrets)
	}
}

// renderClusters renders the clusters and queues each for checking: as
// each is rendered when they are named, else once discovery has pruned the
// candidates (discover); with a shard, only the shard's (renderShard);
// with Config.Release, as each is rendered (renderSpeculating).
func (r *run) renderClusters(ctx context.Context, sources *flux.Sources, entries []flux.Entry, chk *checks) ([]*model.Cluster, error) {
	if r.cfg.Shard.Total > 0 {
		return r.renderShard(ctx, sources, entries, chk)
	}
	discover := len(r.cfg.Clusters) == 0
	if !discover && !r.cfg.Prune {
		return r.renderAll(ctx, sources, entries, 0, chk.add), nil
	}
	if r.cfg.Release {
		return r.renderSpeculating(ctx, sources, entries, chk)
	}
	var clusters []*model.Cluster
	if discover {
		var err error
		all := func(es []flux.Entry, done int) []*model.Cluster {
			return r.renderAll(ctx, sources, es, done, func(*model.Cluster) {})
		}
		if clusters, err = r.discover(ctx, entries, all); err != nil {
			return nil, err
		}
	} else {
		clusters, _ = flux.Prune(r.renderAll(ctx, sources, entries, 0, func(*model.Cluster) {}))
	}
	for _, c := range clusters {
		chk.add(c)
	}
	return clusters, nil
}

// ErrNoClusters is returned when discovery finds no cluster.
var ErrNoClusters = errors.New("no Flux cluster found")

// discover renders (with all) the candidate entries that discovery found,
// drops those that are parts of another (flux.Prune), then renders the
// Flux Kustomizations of the repository that none of the rest reads
// (flux.Orphans), prunes again and drops the orphans that another left out
// (flux.DropSwitchedOff). Clusters are checked only once the
// pruning is done, so a candidate that turns out to be a part of another
// reports nothing of its own.
// all renders entries, done being the number rendered before them.
func (r *run) discover(ctx context.Context, entries []flux.Entry, all func(es []flux.Entry, done int) []*model.Cluster) ([]*model.Cluster, error) {
	clusters, dropped := flux.Prune(all(entries, 0))
	read := map[string]bool{}
	for _, c := range clusters {
		for _, f := range c.FilesRead {
			read[f] = true
		}
	}
	for _, f := range flux.BootstrapSyncs(dropped) {
		read[f] = true
	}
	orphans, err := flux.Orphans(r.repo, read)
	if err != nil {
		return nil, fmt.Errorf("discover clusters: %w", err)
	}
	if len(orphans) > 0 {
		clusters, _ = flux.Prune(append(clusters, all(orphans, len(entries))...))
		clusters = flux.DropSwitchedOff(r.repo, clusters)
		clusters = flux.DropUnsourced(r.repo, clusters)
		clusters = joinOrphans(r.repo, clusters, append(slices.Clip(entries), orphans...), all)
	}
	clusters = flux.DropNonFluxFolders(clusters, r.rendersFlux)
	if len(clusters) == 0 && ctx.Err() == nil {
		// A tenant repository: check what a fleet's Kustomizations build.
		overlays, err := flux.Overlays(r.repo)
		if err != nil {
			return nil, fmt.Errorf("discover clusters: %w", err)
		}
		clusters, _ = flux.Prune(all(overlays, 0))
	}
	if argo := argoCDRepository(r.repo, clusters, r.rendersFlux); argo != "" {
		return nil, fmt.Errorf("%w in %s: it holds Argo CD objects (%s) and none of its clusters renders a Flux object, so its folders say nothing of what Flux applies; "+
			"name a folder with --cluster NAME=PATH to check it as a Flux cluster anyway", ErrNoClusters, r.cfg.Path, argo)
	}
	if len(clusters) == 0 && ctx.Err() == nil {
		return nil, fmt.Errorf("%w in %s: looked for %s; name a cluster's entry folder with --cluster NAME=PATH or clusters: in .fluxlint.yaml "+
			"(a tenant repository is checked from its fleet repository, whose sources: map the tenant's URL to this folder)", ErrNoClusters, r.cfg.Path, flux.Looked)
	}
	return clusters, nil
}

// argoCDRepository returns the file of an Argo CD object when every
// cluster discovery found is a folder under clusters/ or a kustomize
// overlay, none of them renders a Flux object, and the repository holds
// Argo CD objects (flux.ArgoCDFile); "" otherwise.
func argoCDRepository(repo *source.Repo, clusters []*model.Cluster, rendersFlux func(*model.Cluster) bool) string {
	for _, c := range clusters {
		if c.Via != model.ViaClusters && c.Via != model.ViaTenant || rendersFlux(c) {
			return ""
		}
	}
	return flux.ArgoCDFile(repo)
}

// clusterEntries returns the clusters named in the configuration, or
// discovered, after checking that their folders exist.
func (r *run) clusterEntries() ([]flux.Entry, error) {
	repo, cfg := r.repo, r.cfg
	entries := cfg.Clusters
	if len(entries) == 0 {
		var err error
		facts := newDiscoveryFacts(r.store, repo, r.files)
		var memo flux.FactsMemo
		if facts != nil {
			memo = facts
		}
		if entries, err = flux.Discover(repo, memo); err != nil {
			return nil, fmt.Errorf("discover clusters: %w", err)
		}
		facts.save()
	}
	for _, e := range entries {
		if isDir, err := statDir(repo, e.Path); err != nil || !isDir {
			return nil, fmt.Errorf("cluster %s: folder %q not found in %s", e.Name, e.Path, cfg.Path)
		}
	}
	return entries, nil
}

func statDir(repo *source.Repo, rel string) (bool, error) {
	info, err := os.Stat(repo.Abs(rel))
	if err != nil {
		return false, err
	}
	return info.IsDir(), nil
}

// renderAll renders clusters one at a time. kustomize keeps its OpenAPI
// schema in a package variable that fluxcd/pkg's Build resets on every
// build, and reading built resources (their GVK scope) reads it: the race
// detector shows that renders of two clusters at once race there. done
// clusters were rendered before these, for the progress report; rendered
// is called with each cluster as soon as it is rendered.
func (r *run) renderAll(ctx context.Context, sources *flux.Sources, entries []flux.Entry, done int, rendered func(*model.Cluster)) []*model.Cluster {
	out := make([]*model.Cluster, len(entries))
	for i, e := range entries {
		if r.cfg.Release && !r.callerCache && (done+i > 0 || r.repo.ParsedLines() > treeBudget) {
			// The files that clusters checked and released were made
			// from are not needed any more; those the next cluster
			// shares with them are parsed again. Before the first
			// cluster, what discovery parsed is kept when it is small
			// (the first cluster reads most of it again), and let go
			// when it is large, since it holds the other clusters'
			// files too.
			r.repo.Forget()
		}
		out[i] = r.renderCluster(ctx, sources, e)
		rendered(out[i])
		if r.progress != nil {
			r.progress(done+i+1, done+len(entries))
		}
	}
	return out
}

// renderCluster returns a cluster's render: from the in-memory cache, from
// the result cache, or rendered now.
func (r *run) renderCluster(ctx context.Context, sources *flux.Sources, e flux.Entry) *model.Cluster {
	if c := r.cache.cluster(e); c != nil {
		return c
	}
	if c, fs, ok := r.results.load(ctx, e); ok {
		r.cache.store(c, fs)
		return c
	}
	r.checkers.prepare()
	return renderSafely(ctx, r.repo, sources, e)
}

// renderSafely renders a cluster and turns a crash into a finding, so one
// cluster's failure never hides the others.
func renderSafely(ctx context.Context, repo *source.Repo, sources *flux.Sources, e flux.Entry) (c *model.Cluster) {
	defer func() {
		if r := recover(); r != nil {
			c = &model.Cluster{Name: e.Name, Path: e.Path, Findings: []finding.Finding{{
				RuleID: RuleInternal, Severity: finding.Error, Pos: finding.Pos{File: e.Path},
				Message: fmt.Sprintf("fluxlint crashed while rendering this cluster (please report it): %v", r),
			}}}
		}
	}()
	return flux.Render(ctx, repo, sources, e)
}

// charts sets up HelmRelease rendering: the chart cache and repositories.
func (r *run) charts(kubeVersion string) (*helm.Charts, error) {
	dir, err := helm.CacheDirOr(r.cfg.CacheDir)
	if err != nil {
		return nil, err
	}
	repos := helm.NewRepositories(&helm.Cache{Dir: dir}, r.cfg.Offline)
	repos.TTL, repos.Refresh = r.cfg.ChartTTL, r.cfg.RefreshCharts
	r.cfg.Limits.applyToRepositories(repos)
	apis, err := schema.KubernetesAPIs(kubeVersion)
	if err != nil {
		return nil, err
	}
	return &helm.Charts{
		Repositories:  repos,
		KubeVersion:   kubeVersion,
		KubeAPIs:      apis,
		Mirrors:       r.cfg.ChartMirrors,
		RenderTimeout: r.cfg.Limits.RenderTimeout,
		Output:        r.store,
		OutputSalt:    cache.Stamp(),
	}, nil
}
