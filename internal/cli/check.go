package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/report"
	"github.com/fluxlint/fluxlint/internal/termsafe"
)

// checkFlags are the flags of check and render.
type checkFlags struct {
	formats           []string
	quiet             bool
	severities        []string
	disabled          []string
	kubernetesVersion string
	fluxVersion       string
	crds              []string
	schemaLocations   []string
	clusters          []string
	config            string
	offline           bool
	cacheDir          string
	chartTTL          time.Duration
	refresh           bool
	failOn            string
	noColor           bool
	noCache           bool
	noCatalogue       bool
	changedSince      string
	newFromRev        string
	shard             string
	policy            policyFlags
}

func (f *checkFlags) register(cmd *cobra.Command, clusters bool) {
	fl := cmd.Flags()
	fl.StringVar(&f.kubernetesVersion, "kubernetes-version", "", "Kubernetes version whose schemas to use, e.g. 1.35 (default: the newest embedded)")
	fl.StringVar(&f.fluxVersion, "flux-version", "", "Flux release whose CRDs to use, e.g. 2.9 (default: the newest embedded)")
	fl.StringArrayVar(&f.crds, "crd", nil, "CRD file or folder whose CustomResourceDefinitions validate custom resources (repeatable)")
	fl.StringArrayVar(&f.schemaLocations, "schema-location", nil,
		"kubeconform-style JSON schema folder or template, e.g. 'schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json'; URLs only without --offline (repeatable)")
	if clusters {
		fl.StringArrayVar(&f.clusters, "cluster", nil, "check only this cluster: NAME=PATH, or a PATH relative to the repository (repeatable)")
	}
	fl.BoolVar(&f.noCatalogue, "no-catalogue", false,
		"validate no custom resource with the embedded CRD catalogue (kinds that no CRD of the repository describes stay without a schema)")
	fl.StringVar(&f.config, "config", "", "configuration file (default: PATH/"+ConfigFile+")")
	fl.BoolVar(&f.offline, "offline", false, "never use the network: charts come from local sources and the chart cache only")
	fl.StringVar(&f.cacheDir, "cache-dir", "", "chart cache folder (default: $XDG_CACHE_HOME/fluxlint or ~/.cache/fluxlint)")
	fl.DurationVar(&f.chartTTL, "chart-ttl", 0,
		"how long a resolved chart version range, an index, a tag list or a failed fetch is trusted (default 10m, or chartTTL in "+ConfigFile+")")
	fl.BoolVar(&f.refresh, "refresh", false, "resolve every chart again and retry remembered failures, whatever the TTL")
}

// options reads the configuration file and the flags into the
// configuration of a check.
func (f *checkFlags) options(path string) (check.Config, Config, error) {
	cfgPath, explicit := f.config, f.config != ""
	if !explicit {
		cfgPath = filepath.Join(path, ConfigFile)
	}
	cfg, err := loadConfig(cfgPath, explicit)
	if err != nil {
		return check.Config{}, cfg, err
	}
	clusters, err := parseClusters(f.clusters, cfg.Clusters)
	if err != nil {
		return check.Config{}, cfg, err
	}
	if err := validateExternalObjects(cfg.ExternalObjects); err != nil {
		return check.Config{}, cfg, err
	}
	limits, err := cfg.Limits.limits()
	if err != nil {
		return check.Config{}, cfg, err
	}
	ttl, err := cfg.chartTTL()
	if err != nil {
		return check.Config{}, cfg, err
	}
	if f.chartTTL != 0 {
		if f.chartTTL < 0 {
			return check.Config{}, cfg, fmt.Errorf("--chart-ttl must not be negative")
		}
		ttl = f.chartTTL
	}
	opts := check.Config{Path: path, Clusters: clusters, KubernetesVersion: cfg.KubernetesVersion, Sources: cfg.Sources,
		Offline: f.offline || cfg.Offline, CacheDir: f.cacheDir, ExternalObjects: cfg.ExternalObjects,
		ChartMirrors: cfg.ChartMirrors, Limits: limits, ChartTTL: ttl, RefreshCharts: f.refresh, Partial: len(f.clusters) > 0}
	if opts.CacheDir == "" {
		opts.CacheDir = cfg.CacheDir
	}
	if f.kubernetesVersion != "" {
		opts.KubernetesVersion = f.kubernetesVersion
	}
	opts.FluxVersion = cfg.FluxVersion
	if f.fluxVersion != "" {
		opts.FluxVersion = f.fluxVersion
	}
	cfgDir := filepath.Dir(cfgPath)
	opts.CRDs = append(relativeTo(cfgDir, cfg.CRDs, false), f.crds...)
	opts.SchemaLocations = append(relativeTo(cfgDir, cfg.SchemaLocations, true), f.schemaLocations...)
	opts.NoCatalogue = f.noCatalogue || (cfg.Catalogue != nil && !*cfg.Catalogue)
	opts.CatalogueVersions = cfg.CatalogueVersions
	return opts, cfg, nil
}

func newCheck(stdout, stderr io.Writer) *cobra.Command {
	var f checkFlags
	var prof profileFlags
	cmd := &cobra.Command{
		Use:   "check [PATH]",
		Short: "Render every cluster of a repository and report its problems",
		Long: `check finds the clusters of a Flux repository (the clusters/<name> folders of
flux bootstrap, or the ones named with --cluster or in .fluxlint.yaml), renders
every Flux Kustomization of each as Flux would, validates the rendered objects
against the Kubernetes and Flux schemas, and prints every problem at its file,
line and column.

Renders and findings are kept in the cache folder (--cache-dir): a cluster none
of whose files changed since the last run is neither rendered nor checked again,
and within a cluster only the Kustomizations and HelmReleases whose inputs
changed are rendered. The output is the same as without the cache; --no-cache
turns it off, and 'fluxlint cache prune' bounds its size.

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or internal error.`,
		Example: `  fluxlint check                       # the repository in the current folder
  fluxlint check ./gitops --format json
  fluxlint check --cluster staging=clusters/staging --kubernetes-version 1.34
  fluxlint check --fail-on warning
  fluxlint check --format sarif=fluxlint.sarif --format text   # SARIF to a file, text to the terminal
  fluxlint check --format github                               # annotations in GitHub Actions
  fluxlint check --severity schema-kind-unknown=warning --disable flux-source-unavailable
  fluxlint check -q                                            # findings only, no summary
  fluxlint check --changed-since origin/main                   # only the clusters that the branch's changes affect
  fluxlint check --new-from-rev origin/main                    # only the findings that the branch adds
  fluxlint check --shard 2/4                                   # the second of 4 CI jobs: a quarter of the clusters`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) (err error) {
			stop, err := prof.start()
			if err != nil {
				return err
			}
			defer func() {
				if serr := stop(); serr != nil && err == nil {
					err = serr
				}
			}()
			return runCheck(cmd, f, pathArg(args), stdout, stderr)
		},
	}
	f.register(cmd, true)
	f.policy.register(cmd)
	prof.register(cmd)
	cmd.Flags().StringArrayVarP(&f.formats, "format", "o", nil,
		"output format: "+strings.Join(report.Formats(), ", ")+"; NAME=FILE writes to a file (repeatable; at most one to stdout; default text)")
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "print only the findings: no cluster headings, no summary")
	cmd.Flags().StringArrayVar(&f.severities, "severity", nil, "change a rule's severity: RULE=error|warning|info (repeatable)")
	cmd.Flags().StringArrayVar(&f.disabled, "disable", nil, "do not report a rule: RULE (repeatable)")
	cmd.Flags().StringVar(&f.failOn, "fail-on", "", "lowest severity that makes the exit code 1: error, warning, info or none (default error)")
	cmd.Flags().BoolVar(&f.noColor, "no-color", false, "no colours in text output (also NO_COLOR)")
	cmd.Flags().BoolVar(&f.noCache, "no-cache", false, "render and check everything again: read and keep no renders or findings in the cache folder")
	cmd.Flags().StringVar(&f.changedSince, "changed-since", "", "check only the clusters that the files changed since this Git revision (committed, staged, unstaged or untracked) affect")
	cmd.Flags().StringVar(&f.newFromRev, "new-from-rev", "", "report only the findings that this Git revision does not have (matched by fingerprint, not line), to adopt fluxlint on a repository with old findings")
	cmd.Flags().StringVar(&f.shard, "shard", "",
		"check only the INDEX-th of TOTAL balanced shards of the clusters, e.g. 2/4 for the second of 4 CI jobs (INDEX from 1; see docs/ci.md)")
	completeCheckFlags(cmd)
	registerCompletion(cmd, "format", completeCheckFormats)
	return cmd
}

// relativeTo resolves the relative paths of the configuration file against
// its folder; with keepURLs, URLs are left as they are.
func relativeTo(dir string, paths []string, keepURLs bool) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = p
		isURL := strings.HasPrefix(p, "http://") || strings.HasPrefix(p, "https://")
		if !filepath.IsAbs(p) && (!keepURLs || !isURL) {
			out[i] = filepath.Join(dir, p)
		}
	}
	return out
}

func pathArg(args []string) string {
	if len(args) == 0 {
		return "."
	}
	return args[0]
}

func runCheck(cmd *cobra.Command, f checkFlags, path string, stdout, stderr io.Writer) error {
	opts, cfg, err := f.options(path)
	if err != nil {
		return err
	}
	threshold, fail, err := f.failThreshold(cfg)
	if err != nil {
		return err
	}
	outs, err := parseFormats(f.formats, func(toStdout bool) report.Options {
		return report.Options{
			Color: toStdout && useColor(stdout, f.noColor), Quiet: f.quiet,
			ToolVersion: fluxlintVersion(), GitHubStepSummary: os.Getenv("GITHUB_STEP_SUMMARY"),
		}
	})
	if err != nil {
		return err
	}
	cat, err := check.Catalog()
	if err != nil {
		return err
	}
	if opts.Rules, err = ruleSettings(f.severities, f.disabled, cat); err != nil {
		return err
	}
	if err := f.policy.apply(&opts, cfg, f.config, path, cat); err != nil {
		return err
	}
	var deps check.Deps
	if err := useStore(&deps, opts, f.noCache); err != nil {
		return err
	}
	if err := f.checkOnly(cmd.Context(), &opts, cfg, path, stderr); err != nil {
		return err
	}
	res, err := f.run(cmd.Context(), opts, deps, stderr)
	if err != nil {
		return err
	}
	printCacheStats(stderr, res)
	printTenantNote(stderr, path, res.Clusters)
	if err := writeOutputs(outs, reportOf(res, cat), stdout); err != nil {
		return err
	}
	for _, fd := range res.Findings {
		if fail && fd.Severity >= threshold {
			return exitError{ExitFindings}
		}
	}
	return nil
}

// checkOnly sets the options that only check has: --shard,
// --changed-since, and the release of each cluster's objects once it is
// checked, since the outputs of check need counts and findings, not
// objects.
func (f *checkFlags) checkOnly(ctx context.Context, opts *check.Config, cfg Config, path string, stderr io.Writer) error {
	opts.Release = true
	if f.shard != "" {
		var err error
		if opts.Shard, err = check.ParseShard(f.shard); err != nil {
			return err
		}
	}
	return f.restrictToChanged(ctx, opts, cfg, path, stderr)
}

// run checks the repository and, with --new-from-rev, drops the findings
// that the revision has.
func (f *checkFlags) run(ctx context.Context, opts check.Config, deps check.Deps, stderr io.Writer) (*check.Result, error) {
	var rev *revisionTree
	if f.newFromRev != "" {
		// Read first: an unknown revision stops the run before the check.
		var err error
		if rev, err = readRevision(ctx, opts.Path, f.newFromRev); err != nil {
			return nil, fmt.Errorf("--new-from-rev: %w", err)
		}
		defer rev.Close()
	}
	endProgress := startProgress(&deps, stderr, f.quiet)
	res, err := check.Run(ctx, opts, deps)
	endProgress() // erase the line before any output
	if err != nil || rev == nil {
		return res, err
	}
	dropped, err := rev.onlyNewFindings(ctx, opts, deps, res)
	if err != nil {
		return nil, err
	}
	if !f.quiet {
		noun := "findings"
		if dropped == 1 {
			noun = "finding"
		}
		fmt.Fprintf(stderr, "%d %s already at %s not shown (--new-from-rev)\n", dropped, noun, termsafe.Escape(f.newFromRev))
	}
	return res, nil
}

// failThreshold returns the lowest severity that fails the run: --fail-on,
// else the configuration's failOn.
func (f *checkFlags) failThreshold(cfg Config) (finding.Severity, bool, error) {
	if f.failOn != "" {
		return parseFailOn(f.failOn)
	}
	return parseFailOn(cfg.FailOn)
}

// reportOf returns the report of a check's result, with every file and
// cluster folder named from the top of the Git work tree that holds the
// checked folder (outputPaths).
func reportOf(res *check.Result, cat *finding.Catalog) *report.Report {
	root, prefix := outputPaths(res)
	rep := &report.Report{Findings: findingsUnder(res.Findings, prefix), Rules: cat.Rules(), Root: root, Shard: res.Shard.String()}
	for _, c := range res.Clusters {
		rep.Clusters = append(rep.Clusters, report.Cluster{
			Name: c.Name, Path: folderUnder(c.Path, prefix), Kustomizations: c.Kustomizations,
			HelmReleases: c.NumHelmReleases(), Rendered: c.Releases, Objects: c.NumObjects(),
		})
	}
	return rep
}

// parseFailOn reads --fail-on; "none" never fails.
func parseFailOn(s string) (finding.Severity, bool, error) {
	switch s {
	case "":
		return finding.Error, true, nil
	case "none":
		return finding.Error, false, nil
	}
	sev, err := finding.ParseSeverity(s)
	if err != nil {
		return sev, false, fmt.Errorf("--fail-on: %w", err)
	}
	return sev, true, nil
}

// useColor colours text only on a terminal, and never with NO_COLOR set.
func useColor(w io.Writer, noColor bool) bool {
	if noColor || os.Getenv("NO_COLOR") != "" {
		return false
	}
	file, ok := w.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// printTenantNote says, when discovery found no Flux cluster and the
// repository's kustomize overlays were checked on their own instead (a
// tenant repository), what was checked and what was not.
func printTenantNote(w io.Writer, path string, clusters []*model.Cluster) {
	if len(clusters) == 0 || slices.ContainsFunc(clusters, func(c *model.Cluster) bool { return c.Via != model.ViaTenant }) {
		return
	}
	fmt.Fprintf(w, "fluxlint: no Flux cluster found in %s: checked its %d kustomize overlays on their own, as a fleet's Kustomizations "+
		"would build them; what the fleet makes and its postBuild variables are unknown here (check from the fleet repository, "+
		"whose sources: map this repository's URL to this folder, or name a cluster with --cluster NAME=PATH)\n", path, len(clusters))
}
