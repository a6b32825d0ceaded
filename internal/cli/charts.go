package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/helm"
)

func newCharts(stdout io.Writer) *cobra.Command {
	charts := &cobra.Command{
		Use:   "charts",
		Short: "Manage the chart cache",
	}
	var f checkFlags
	pull := &cobra.Command{
		Use:   "pull [PATH]",
		Short: "Download every chart the repository's HelmReleases use into the cache",
		Long: `pull renders every cluster online and keeps each chart its HelmReleases
use in the chart cache, so that later runs work with --offline.`,
		Example: `  fluxlint charts pull
  fluxlint charts pull ./gitops --cache-dir .cache/charts && fluxlint check ./gitops --offline --cache-dir .cache/charts`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, _, err := f.options(pathArg(args))
			if err != nil {
				return err
			}
			if opts.Offline {
				return fmt.Errorf("charts pull: --offline forbids downloading charts")
			}
			res, err := check.Run(cmd.Context(), opts, check.Deps{})
			if err != nil {
				return err
			}
			total, rendered := 0, 0
			for _, c := range res.Clusters {
				total += len(c.HelmReleases)
				rendered += c.Releases
			}
			missing := 0
			_, prefix := outputPaths(res)
			for _, fd := range res.Findings {
				if fd.RuleID == helm.RuleChartUnavailable {
					missing++
					fmt.Fprintf(stdout, "%s: %s\n", fd.Pos.Under(prefix), fd.Message)
				}
			}
			fmt.Fprintf(stdout, "%d of %d HelmReleases have their chart; %d charts could not be had\n", rendered, total, missing)
			if missing > 0 {
				return exitError{ExitFindings}
			}
			return nil
		},
	}
	f.register(pull, true)
	completeCheckFlags(pull)
	charts.AddCommand(pull)
	return charts
}
