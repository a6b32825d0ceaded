package check

import (
	"context"
	"errors"
	"fmt"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/policy"
	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/schema"
	"github.com/fluxlint/fluxlint/internal/source"
	"github.com/fluxlint/fluxlint/internal/xref"
)

// Options say what to check and how.
type Options struct {
	// Path is the repository folder.
	Path string
	// Clusters, when set, replaces discovery.
	Clusters []flux.Entry
	// Prune, with Clusters, says that they are discovery's candidates
	// (--changed-since picks some): those that are parts of another are
	// dropped after rendering, as discovery does (flux.Prune).
	Prune bool
	// KubernetesVersion selects the built-in schemas; "" is the newest.
	KubernetesVersion string
	// FluxVersion selects the embedded Flux CRDs; "" is the newest.
	FluxVersion string
	// CRDs are files or folders of CustomResourceDefinitions that every
	// cluster uses besides its own.
	CRDs []string
	// NoCatalogue turns the embedded CRD catalogue off.
	NoCatalogue bool
	// CatalogueVersions pins projects of the CRD catalogue to an embedded
	// version other than their default.
	CatalogueVersions map[string]string
	// SchemaLocations are kubeconform-style JSON schema locations (folders
	// or templates; a URL template is used only without Offline) for kinds
	// that have no schema otherwise.
	SchemaLocations []string
	// Sources maps more Git URLs to local folders.
	Sources map[string]string
	// Offline forbids all network use: charts come from local sources and
	// the chart cache only.
	Offline bool
	// CacheDir is the chart cache; "" is helm.DefaultCacheDir().
	CacheDir string
	// ChartMirrors maps chart repository URL prefixes to mirrors.
	ChartMirrors map[string]string
	// SkipHelm leaves HelmReleases unrendered.
	SkipHelm bool
	// Rules overrides the severity of rules or disables them, by rule ID.
	Rules map[string]RuleSetting
	// ExternalObjects exist in the live cluster but not in the repository;
	// references to them are not reported.
	ExternalObjects []xref.ExternalObject
	// Policies are the Rego policies to run besides the built-in ones; the
	// rule settings of Rules apply to them too.
	Policies policy.Options
	// Progress, when set, is called after each cluster is rendered with the
	// number rendered so far and the number known (discovery of more roots
	// can raise it).
	Progress func(done, total int)
	// Limits bound what a run reads, renders and downloads; zero fields
	// keep the defaults.
	Limits Limits
	// Cache, when set, keeps each cluster's render and findings from one
	// run to the next: clusters that Cache.Invalidate did not forget are
	// neither rendered nor checked again (fluxlint lsp).
	Cache *Cache
	// Validator, when set, is the schema validator the run uses instead of
	// making one from the options above, which it must have been made
	// from (NewValidator), for the clusters of the run's versions; clusters
	// of other versions get validators of their own. The language server
	// keeps one across re-checks, with the schemas it has compiled.
	Validator *schema.Validator
	// Store, when set, keeps rendered charts and each cluster's findings
	// on disk between runs (fluxlint check): a cluster whose inputs have
	// not changed is neither rendered nor checked again, and a chart
	// rendered with the same inputs is not templated again. Such clusters
	// come back with no objects (model.Cluster.Restored), so commands that
	// print objects leave it unset.
	Store Store

	results *resultCache
}

// A Result is what a check found.
type Result struct {
	Repo     *source.Repo
	Clusters []*model.Cluster
	Findings []finding.Finding
	// Cache counts what came from Options.Store; nil without one.
	Cache *CacheStats
}

// A Checker looks at one rendered cluster and reports what is wrong with
// it. It must not change the cluster's objects. Checkers run in a fixed
// order, cluster by cluster, so a stateful checker (one that reports a kind
// once per run) gives the same output every time.
type Checker interface {
	Check(ctx context.Context, c *model.Cluster) []finding.Finding
}

// Run checks a repository. The error is for problems that stop the whole
// run (no repository, an unknown Kubernetes version); everything else is a
// finding.
func Run(ctx context.Context, opts Options) (*Result, error) {
	repo, err := source.Open(opts.Path)
	if err != nil {
		return nil, err
	}
	opts.Limits.applyToRepo(repo)
	stats := opts.countStore()
	kubeVersion, err := opts.checkVersions()
	if err != nil {
		return nil, err
	}
	checkerOpts := opts
	checkers := &lazyCheckers{build: func() ([]Checker, error) { return newCheckers(ctx, checkerOpts) }}
	discover := len(opts.Clusters) == 0
	entries, err := clusterEntries(repo, opts)
	if err != nil {
		return nil, err
	}
	sources := flux.NewSources(repo, opts.Sources)
	sources.FluxVersion = opts.FluxVersion
	if !opts.SkipHelm {
		if sources.Charts, err = charts(opts, kubeVersion); err != nil {
			return nil, err
		}
	}
	ownCache := opts.Cache != nil
	opts.useResults(repo, sources)
	// Clusters are checked in a goroutine of their own as they are
	// rendered, in render order: renders are serial (see renderAll), so
	// the checks of one cluster use the other core while the next renders.
	chk := startChecks(ctx, checkers, opts.Cache)
	res := &Result{Repo: repo, Cache: stats}
	res.Clusters, err = renderClusters(ctx, repo, sources, entries, opts, discover, chk)
	if err != nil {
		chk.wait()
		return nil, err
	}
	res.Findings = chk.wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkers.settle(res.Clusters); err != nil {
		return nil, err
	}
	if ownCache {
		// The caller's cache (fluxlint lsp) learns the repository's files.
		opts.Cache.remember(repo, res.Clusters)
	}
	if opts.results != nil {
		var secrets []string
		for _, c := range res.Clusters {
			secrets = append(secrets, SecretValues(c)...)
		}
		opts.results.save(res.Clusters, opts.Cache, secrets)
	}
	postProcess(res, opts.Rules)
	// Last: no secret value may reach any output format.
	maskFindings(res)
	return res, nil
}

// checkVersions returns the Kubernetes version the run uses, after checking
// that it and the Flux version are embedded: before rendering, without
// loading their schemas (the default Flux version needs no check).
func (opts *Options) checkVersions() (string, error) {
	kubeVersion, err := schema.ResolveKubernetesVersion(opts.KubernetesVersion)
	if err != nil {
		return "", err
	}
	if opts.FluxVersion != "" {
		if _, err := schema.ResolveFluxVersion(opts.FluxVersion); err != nil {
			return "", err
		}
	}
	return kubeVersion, nil
}

// countStore makes the store count its lookups, and returns the counts.
func (opts *Options) countStore() *CacheStats {
	if opts.Store == nil {
		return nil
	}
	stats := &CacheStats{gets: map[string]int{}, found: map[string]int{}}
	opts.Store = countingStore{Store: opts.Store, stats: stats}
	return stats
}

// useResults sets up the result cache and the build cache when the
// options allow them.
func (opts *Options) useResults(repo *source.Repo, sources *flux.Sources) {
	if opts.results = newResultCache(*opts, repo); opts.results == nil {
		return
	}
	sources.Builds = &render.BuildCache{Store: opts.Store, Salt: buildStamp() + "\x00" + opts.results.listing}
	if opts.Cache == nil {
		// Restored clusters and their findings pass through the in-memory
		// cache.
		opts.Cache = NewCache()
	}
}

// renderClusters renders the clusters and queues each for checking: as
// each is rendered when they are named, else once discovery has pruned the
// candidates (discoverClusters).
func renderClusters(ctx context.Context, repo *source.Repo, sources *flux.Sources, entries []flux.Entry, opts Options, discover bool, chk *checks) ([]*model.Cluster, error) {
	if !discover && !opts.Prune {
		return renderAll(ctx, repo, sources, entries, opts, 0, chk.add), nil
	}
	var clusters []*model.Cluster
	if discover {
		var err error
		if clusters, err = discoverClusters(ctx, repo, sources, entries, opts); err != nil {
			return nil, err
		}
	} else {
		clusters, _ = flux.Prune(renderAll(ctx, repo, sources, entries, opts, 0, func(*model.Cluster) {}))
	}
	for _, c := range clusters {
		chk.add(c)
	}
	return clusters, nil
}

// ErrNoClusters is returned when discovery finds no cluster.
var ErrNoClusters = errors.New("no Flux cluster found")

// discoverClusters renders the candidate entries that discovery found,
// drops those that are parts of another (flux.Prune), then renders the
// Flux Kustomizations of the repository that none of the rest reads
// (flux.Orphans) and prunes again. Clusters are checked only once the
// pruning is done, so a candidate that turns out to be a part of another
// reports nothing of its own.
func discoverClusters(ctx context.Context, repo *source.Repo, sources *flux.Sources, entries []flux.Entry, opts Options) ([]*model.Cluster, error) {
	clusters, _ := flux.Prune(renderAll(ctx, repo, sources, entries, opts, 0, func(*model.Cluster) {}))
	read := map[string]bool{}
	for _, c := range clusters {
		for _, f := range c.FilesRead {
			read[f] = true
		}
	}
	orphans, err := flux.Orphans(repo, read)
	if err != nil {
		return nil, fmt.Errorf("discover clusters: %w", err)
	}
	if len(orphans) > 0 {
		clusters, _ = flux.Prune(append(clusters, renderAll(ctx, repo, sources, orphans, opts, len(entries), func(*model.Cluster) {})...))
	}
	if len(clusters) == 0 && ctx.Err() == nil {
		return nil, fmt.Errorf("%w in %s: looked for %s; name a cluster's entry folder with --cluster NAME=PATH or clusters: in .fluxlint.yaml "+
			"(a tenant repository is checked from its fleet repository, whose sources: map the tenant's URL to this folder)", ErrNoClusters, opts.Path, flux.Looked)
	}
	return clusters, nil
}

// clusterEntries returns the clusters named in the options, or discovered,
// after checking that their folders exist.
func clusterEntries(repo *source.Repo, opts Options) ([]flux.Entry, error) {
	entries := opts.Clusters
	if len(entries) == 0 {
		var err error
		if entries, err = flux.Discover(repo); err != nil {
			return nil, fmt.Errorf("discover clusters: %w", err)
		}
	}
	for _, e := range entries {
		if isDir, err := statDir(repo, e.Path); err != nil || !isDir {
			return nil, fmt.Errorf("cluster %s: folder %q not found in %s", e.Name, e.Path, opts.Path)
		}
	}
	return entries, nil
}

// renderAll renders clusters one at a time. kustomize keeps its OpenAPI
// schema in a package variable that fluxcd/pkg's Build resets on every
// build, and reading built resources (their GVK scope) reads it: the race
// detector shows that renders of two clusters at once race there. done
// clusters were rendered before these, for the progress report; rendered
// is called with each cluster as soon as it is rendered.
func renderAll(ctx context.Context, repo *source.Repo, sources *flux.Sources, entries []flux.Entry, opts Options, done int, rendered func(*model.Cluster)) []*model.Cluster {
	out := make([]*model.Cluster, len(entries))
	for i, e := range entries {
		out[i] = opts.renderCluster(ctx, repo, sources, e)
		rendered(out[i])
		if opts.Progress != nil {
			opts.Progress(done+i+1, done+len(entries))
		}
	}
	return out
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
func charts(opts Options, kubeVersion string) (*flux.Charts, error) {
	dir, err := helm.CacheDirOr(opts.CacheDir)
	if err != nil {
		return nil, err
	}
	repos := helm.NewRepositories(&helm.Cache{Dir: dir}, opts.Offline)
	opts.Limits.applyToRepositories(repos)
	return &flux.Charts{
		Repositories:  repos,
		KubeVersion:   kubeVersion,
		Mirrors:       opts.ChartMirrors,
		RenderTimeout: opts.Limits.RenderTimeout,
		Output:        opts.Store,
		OutputSalt:    buildStamp(),
	}, nil
}

// newCheckers returns the checkers, in the order they run: schemas,
// references, policies.
func newCheckers(ctx context.Context, opts Options) ([]Checker, error) {
	validator := opts.Validator
	if validator == nil {
		var err error
		if validator, err = NewValidator(opts); err != nil {
			return nil, err
		}
	}
	crds, err := loadCRDs(opts.CRDs)
	if err != nil {
		return nil, err
	}
	policies, err := policy.New(ctx, policyOptions(opts))
	if err != nil {
		return nil, err
	}
	validators := newValidatorSet(validatorOptions(opts), validator)
	return []Checker{newSchemaCheck(validators, opts.KubernetesVersion, opts.FluxVersion, crds), xref.New(xref.Options{External: opts.ExternalObjects}), policies}, nil
}

// NewValidator makes the schema validator that the options ask for: the
// one of the run's versions, which the clusters that state no versions of
// their own use (model.Cluster.FluxVersion and KubernetesVersion).
func NewValidator(opts Options) (*schema.Validator, error) {
	return schema.NewWithOptions(validatorOptions(opts))
}

// validatorOptions are the schema options of a run.
func validatorOptions(opts Options) schema.Options {
	return schema.Options{KubernetesVersion: opts.KubernetesVersion, FluxVersion: opts.FluxVersion,
		Locations: opts.SchemaLocations, Offline: opts.Offline,
		NoCatalogue: opts.NoCatalogue, CatalogueVersions: opts.CatalogueVersions}
}

// policyOptions passes the rule settings to the policy engine, which does
// not evaluate disabled rules; postProcess applies the settings to every
// finding anyway.
func policyOptions(opts Options) policy.Options {
	p := opts.Policies
	if p.Budget == 0 {
		p.Budget = opts.Limits.PolicyBudget
	}
	if p.MaxMemory == 0 {
		p.MaxMemory = opts.Limits.PolicyMemory
	}
	p.Disabled, p.Severity = map[string]bool{}, map[string]finding.Severity{}
	for id, s := range opts.Rules {
		p.Disabled[id] = s.Disabled
		if s.Severity != nil {
			p.Severity[id] = *s.Severity
		}
	}
	return p
}
