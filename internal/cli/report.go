package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/diff"
	"github.com/fluxlint/fluxlint/internal/htmlreport"
)

// reportFlags are the flags of report and diff: those of check that decide
// what is found, and the HTML output.
type reportFlags struct {
	checkFlags
	html  string
	title string
}

func (f *reportFlags) register(cmd *cobra.Command) {
	f.checkFlags.register(cmd, true)
	f.policy.register(cmd)
	cmd.Flags().StringArrayVar(&f.severities, "severity", nil, "change a rule's severity: RULE=error|warning|info (repeatable)")
	cmd.Flags().StringArrayVar(&f.disabled, "disable", nil, "do not report a rule: RULE (repeatable)")
	cmd.Flags().StringVar(&f.title, "title", "", "title of the HTML report (default: fluxlint report)")
}

// checkOptions builds the configuration of check.Run as check does: flags,
// configuration file, rule settings and policies.
func (f *reportFlags) checkOptions(path string) (check.Config, error) {
	opts, cfg, err := f.options(path)
	if err != nil {
		return opts, err
	}
	cat, err := check.Catalog()
	if err != nil {
		return opts, err
	}
	if opts.Rules, err = ruleSettings(f.severities, f.disabled, cat); err != nil {
		return opts, err
	}
	return opts, f.policy.apply(&opts, cfg, f.config, path, cat)
}

func newReport(stderr io.Writer) *cobra.Command {
	var f reportFlags
	cmd := &cobra.Command{
		Use:   "report [PATH] --html FILE",
		Short: "Write an offline HTML report of the clusters, Flux graph, objects and findings",
		Long: `report checks a repository as check does and writes one self-contained HTML
file: per cluster, the graph of Kustomizations and HelmReleases (dependsOn and
produced-by edges, coloured by their worst finding; grouped by namespace or
parent Kustomization, with groups that collapse, zoom and pan, and a focus on
one object's dependencies and dependants), a tree from the cluster down to
every rendered object, each object's YAML with its source file and line and
the chain of Flux objects that rendered it, and the findings with filters by
severity, rule and cluster. More than six clusters are listed in a searchable
picker. The page's address names what it shows (#cluster=NAME&object=KIND/NS/NAME,
#finding=FINGERPRINT), so it can be shared. The page loads nothing from the
network and works when opened from a file. Secret values are masked.

Exit codes: 0 the report is written, whatever it finds; 2 usage or internal error.`,
		Example: `  fluxlint report --html report.html
  fluxlint report ./gitops --html /tmp/report.html --offline --title "gitops main"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.html == "" {
				return fmt.Errorf("report: --html FILE is required")
			}
			opts, err := f.checkOptions(pathArg(args))
			if err != nil {
				return err
			}
			var deps check.Deps
			endProgress := startProgress(&deps, stderr, false)
			res, err := check.Run(cmd.Context(), opts, deps)
			endProgress()
			if err != nil {
				return err
			}
			_, prefix := outputPaths(res)
			return writeHTMLReport(f.html, res, f.title, nil, prefix)
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&f.html, "html", "", "write the HTML report to this file (required)")
	completeCheckFlags(cmd)
	return cmd
}

// writeHTMLReport writes the report of a check, with a diff when given, to
// a file; the file is written only when the whole page is. prefix is the
// checked folder's path in the folder the page names files from
// (outputPaths).
func writeHTMLReport(file string, res *check.Result, title string, d *diff.Result, prefix string) error {
	rep, err := htmlreport.Build(res, htmlreport.Options{Title: title, Encode: maskedYAML, Diff: d, PathPrefix: prefix})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := htmlreport.Write(&buf, rep); err != nil {
		return err
	}
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil { //nolint:gosec // G306: a report for people to open, like any output file
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
