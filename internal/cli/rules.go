package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/fluxlint/fluxlint/internal/check"
)

func newRules(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules [explain ID]",
		Short: "List the rules fluxlint checks, or explain one",
		Example: `  fluxlint rules
  fluxlint rules explain render-unresolved-variable`,
		Args: cobra.MaximumNArgs(2),
		RunE: func(_ *cobra.Command, args []string) error {
			cat, err := check.Catalog()
			if err != nil {
				return err
			}
			if len(args) == 0 {
				tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSEVERITY\tTITLE")
				for _, r := range cat.Rules() {
					fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Title)
				}
				return tw.Flush()
			}
			if args[0] != "explain" || len(args) != 2 {
				return fmt.Errorf("rules: want no argument, or explain ID")
			}
			r, ok := cat.Lookup(args[1])
			if !ok {
				return fmt.Errorf("rules: no rule %q (see fluxlint rules)", args[1])
			}
			fmt.Fprintf(stdout, "%s (%s)\n\n%s\n\nWhy: %s\n\nFix: %s\n", r.ID, r.Severity, r.Title, r.Why, r.Fix)
			if r.Bad != "" {
				fmt.Fprintf(stdout, "\nBad:\n%s\n", r.Bad)
			}
			if r.Good != "" {
				fmt.Fprintf(stdout, "\nGood:\n%s\n", r.Good)
			}
			return nil
		},
	}
	return cmd
}
