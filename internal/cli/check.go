package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/report"
)

// checkFlags are the flags of check and render.
type checkFlags struct {
	format            string
	kubernetesVersion string
	clusters          []string
	config            string
	failOn            string
	noColor           bool
}

func (f *checkFlags) register(cmd *cobra.Command, clusters bool) {
	fl := cmd.Flags()
	fl.StringVar(&f.kubernetesVersion, "kubernetes-version", "", "Kubernetes version whose schemas to use, e.g. 1.35 (default: the newest embedded)")
	if clusters {
		fl.StringArrayVar(&f.clusters, "cluster", nil, "check only this cluster: NAME=PATH, or a PATH relative to the repository (repeatable)")
	}
	fl.StringVar(&f.config, "config", "", "configuration file (default: PATH/"+ConfigFile+")")
}

// options reads the configuration file and the flags into check options.
func (f *checkFlags) options(path string) (check.Options, Config, error) {
	cfgPath, explicit := f.config, f.config != ""
	if !explicit {
		cfgPath = filepath.Join(path, ConfigFile)
	}
	cfg, err := loadConfig(cfgPath, explicit)
	if err != nil {
		return check.Options{}, cfg, err
	}
	clusters, err := parseClusters(f.clusters, cfg.Clusters)
	if err != nil {
		return check.Options{}, cfg, err
	}
	opts := check.Options{Path: path, Clusters: clusters, KubernetesVersion: cfg.KubernetesVersion, Sources: cfg.Sources}
	if f.kubernetesVersion != "" {
		opts.KubernetesVersion = f.kubernetesVersion
	}
	return opts, cfg, nil
}

func newCheck(stdout, stderr io.Writer) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "check [PATH]",
		Short: "Render every cluster of a repository and report its problems",
		Long: `check finds the clusters of a Flux repository (the clusters/<name> folders of
flux bootstrap, or the ones named with --cluster or in .fluxlint.yaml), renders
every Flux Kustomization of each as Flux would, validates the rendered objects
against the Kubernetes and Flux schemas, and prints every problem at its file,
line and column.

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or internal error.`,
		Example: `  fluxlint check                       # the repository in the current folder
  fluxlint check ./gitops --format json
  fluxlint check --cluster staging=clusters/staging --kubernetes-version 1.34
  fluxlint check --fail-on warning`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCheck(cmd, f, pathArg(args), stdout, stderr)
		},
	}
	f.register(cmd, true)
	cmd.Flags().StringVarP(&f.format, "format", "o", "text", "output format: text or json")
	cmd.Flags().StringVar(&f.failOn, "fail-on", "", "lowest severity that makes the exit code 1: error, warning, info or none (default error)")
	cmd.Flags().BoolVar(&f.noColor, "no-color", false, "no colours in text output (also NO_COLOR)")
	return cmd
}

func pathArg(args []string) string {
	if len(args) == 0 {
		return "."
	}
	return args[0]
}

func runCheck(cmd *cobra.Command, f checkFlags, path string, stdout, _ io.Writer) error {
	opts, cfg, err := f.options(path)
	if err != nil {
		return err
	}
	failOn := cfg.FailOn
	if f.failOn != "" {
		failOn = f.failOn
	}
	threshold, fail, err := parseFailOn(failOn)
	if err != nil {
		return err
	}
	printer, err := report.New(f.format, report.Options{Color: useColor(stdout, f.noColor)})
	if err != nil {
		return err
	}
	res, err := check.Run(cmd.Context(), opts)
	if err != nil {
		return err
	}
	rep := &report.Report{Findings: res.Findings}
	for _, c := range res.Clusters {
		rep.Clusters = append(rep.Clusters, report.Cluster{
			Name: c.Name, Path: c.Path, Kustomizations: c.Kustomizations,
			HelmReleases: len(c.HelmReleases), Objects: len(c.Objects),
		})
	}
	if err := printer.Print(stdout, rep); err != nil {
		return err
	}
	for _, fd := range res.Findings {
		if fail && fd.Severity >= threshold {
			return exitError{ExitFindings}
		}
	}
	return nil
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
