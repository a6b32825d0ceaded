package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/report"
)

func newRules(stdout io.Writer) *cobra.Command {
	var format string
	var markdown bool
	cmd := &cobra.Command{
		Use:   "rules [explain ID]",
		Short: "List the rules fluxlint checks, or explain one",
		Long: `rules lists every rule with its default severity and title; rules explain ID
says why a rule matters and how to fix what it finds, with its documentation
address. -o json prints the whole catalogue for scripts; --markdown prints
the page docs/rules.md, which a test keeps in step with the code.`,
		Example: `  fluxlint rules
  fluxlint rules explain render-unresolved-variable
  fluxlint rules -o json | jq -r '.rules[] | select(.severity == "error") | .id'
  fluxlint rules --markdown > docs/rules.md`,
		Args:              cobra.MaximumNArgs(2),
		ValidArgsFunction: completeRulesArgs,
		RunE: func(_ *cobra.Command, args []string) error {
			cat, err := check.Catalog()
			if err != nil {
				return err
			}
			if markdown {
				format = "markdown"
			}
			if len(args) == 0 {
				return writeRules(stdout, cat, format)
			}
			if args[0] != "explain" || len(args) != 2 {
				return fmt.Errorf("rules: want no argument, or explain ID")
			}
			r, ok := cat.Lookup(args[1])
			if !ok {
				return fmt.Errorf("rules: no rule %q (see fluxlint rules)", args[1])
			}
			explainRule(stdout, r)
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "o", "text", "output format of the list: text, json or markdown")
	cmd.Flags().BoolVar(&markdown, "markdown", false, "print the rules page docs/rules.md (the same as -o markdown)")
	registerCompletion(cmd, "format", fixedCompletion("text", "json", "markdown"))
	return cmd
}

// writeRules prints the catalogue in a format.
func writeRules(w io.Writer, cat *finding.Catalog, format string) error {
	switch format {
	case "text", "":
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tSEVERITY\tTITLE")
		for _, r := range cat.Rules() {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Title)
		}
		return tw.Flush()
	case "json":
		return writeRulesJSON(w, cat)
	case "markdown":
		return writeRulesMarkdown(w, cat)
	}
	return fmt.Errorf("rules: unknown format %q (want text, json or markdown)", format)
}

// explainRule prints one rule for people.
func explainRule(w io.Writer, r finding.Rule) {
	fmt.Fprintf(w, "%s (%s)\n\n%s\n\nWhy: %s\n\nFix: %s\n", r.ID, r.Severity, r.Title, r.Why, r.Fix)
	if r.Bad != "" {
		fmt.Fprintf(w, "\nBad:\n%s\n", r.Bad)
	}
	if r.Good != "" {
		fmt.Fprintf(w, "\nGood:\n%s\n", r.Good)
	}
	fmt.Fprintf(w, "\nDocs: %s\n", r.DocsURL())
}

// A ruleJSON is one rule of rules -o json: the catalogue's fields, its
// family, its documentation address and, for rules about security, the
// score SARIF output gives it.
type ruleJSON struct {
	finding.Rule
	Family           string `json:"family"`
	DocsURL          string `json:"docsUrl"`
	SecuritySeverity string `json:"securitySeverity,omitempty"`
}

// writeRulesJSON prints the catalogue as one JSON document; fields are
// only ever added, and version changes if one is removed or changes
// meaning, as in check's JSON output.
func writeRulesJSON(w io.Writer, cat *finding.Catalog) error {
	doc := struct {
		Version int        `json:"version"`
		Rules   []ruleJSON `json:"rules"`
	}{Version: 1}
	for _, r := range cat.Rules() {
		doc.Rules = append(doc.Rules, ruleJSON{Rule: r, Family: r.Family(), DocsURL: r.DocsURL(), SecuritySeverity: report.SecuritySeverity(r.ID)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	return nil
}
