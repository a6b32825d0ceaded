package check

import (
	"time"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/policy"
	"github.com/fluxlint/fluxlint/internal/schema"
	"github.com/fluxlint/fluxlint/internal/xref"
)

// Config says what to check and how: the settings of a run, as the command
// line and the configuration file give them. Run never changes it.
type Config struct {
	// Path is the repository folder.
	Path string
	// Clusters, when set, replaces discovery.
	Clusters []flux.Entry
	// Prune, with Clusters, says that they are discovery's candidates
	// (--changed-since picks some): those that are parts of another are
	// dropped after rendering, as discovery does (flux.Prune).
	Prune bool
	// Release drops each cluster's objects once it is checked, keeping
	// only its counts, files read, findings and secret values
	// (model.Cluster.Released), so that a run's memory does not grow with
	// its clusters. Only for callers that need no objects in the Result
	// (fluxlint check). Discovery then checks each candidate cluster as
	// soon as it is rendered; see run.renderClusters.
	Release bool
	// Shard, when set, checks only the clusters of one shard of the run
	// (--shard): see Shard.
	Shard Shard
	// Partial says that the run checks only some of the repository's
	// clusters (--cluster, --changed-since), as a shard does: a
	// suppression that matches none of their findings is not reported,
	// as it may serve a cluster left out.
	Partial bool
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
	// ChartTTL is how long a resolved chart version (of a semver range), a
	// repository index, a tag list or a failure to fetch a chart is
	// trusted; zero is helm.DefaultChartTTL.
	ChartTTL time.Duration
	// RefreshCharts resolves every chart again and forgets remembered
	// failures (--refresh).
	RefreshCharts bool
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
	// Limits bound what a run reads, renders and downloads; zero fields
	// keep the defaults.
	Limits Limits
}

// Deps are what a run uses besides its configuration: objects that outlive
// one run, and where it reports progress. The zero Deps is a run that
// keeps nothing.
type Deps struct {
	// Cache, when set, keeps each cluster's render and findings from one
	// run to the next: clusters that Cache.Invalidate did not forget are
	// neither rendered nor checked again (fluxlint lsp).
	Cache *Cache
	// Validator, when set, is the schema validator the run uses instead of
	// making one from the configuration, which it must have been made
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
	// Progress, when set, is called after each cluster is rendered with the
	// number rendered so far and the number known (discovery of more roots
	// can raise it).
	Progress func(done, total int)
	// Checkers run on every cluster after the built-in ones (schemas,
	// references, policies), in this order.
	Checkers []Checker
}

// checkVersions returns the Kubernetes version the run uses, after checking
// that it and the Flux version are embedded: before rendering, without
// loading their schemas (the default Flux version needs no check).
func (cfg *Config) checkVersions() (string, error) {
	kubeVersion, err := schema.ResolveKubernetesVersion(cfg.KubernetesVersion)
	if err != nil {
		return "", err
	}
	if cfg.FluxVersion != "" {
		if _, err := schema.ResolveFluxVersion(cfg.FluxVersion); err != nil {
			return "", err
		}
	}
	return kubeVersion, nil
}

// NewValidator makes the schema validator that the configuration asks for:
// the one of the run's versions, which the clusters that state no versions
// of their own use (model.Cluster.FluxVersion and KubernetesVersion).
func NewValidator(cfg Config) (*schema.Validator, error) {
	return schema.NewWithOptions(cfg.schemaOptions())
}

// schemaOptions are the schema options of a run.
func (cfg *Config) schemaOptions() schema.Options {
	return schema.Options{KubernetesVersion: cfg.KubernetesVersion, FluxVersion: cfg.FluxVersion,
		Locations: cfg.SchemaLocations, Offline: cfg.Offline,
		NoCatalogue: cfg.NoCatalogue, CatalogueVersions: cfg.CatalogueVersions}
}

// policyOptions passes the rule settings to the policy engine, which does
// not evaluate disabled rules; the settings step applies them to every
// finding anyway.
func (cfg *Config) policyOptions() policy.Options {
	p := cfg.Policies
	if p.Budget == 0 {
		p.Budget = cfg.Limits.PolicyBudget
	}
	if p.MaxMemory == 0 {
		p.MaxMemory = cfg.Limits.PolicyMemory
	}
	p.Disabled, p.Severity = map[string]bool{}, map[string]finding.Severity{}
	for id, s := range cfg.Rules {
		p.Disabled[id] = s.Disabled
		if s.Severity != nil {
			p.Severity[id] = *s.Severity
		}
	}
	return p
}
