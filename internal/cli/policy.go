package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/policy"
	"github.com/fluxlint/fluxlint/internal/termsafe"
)

// policyFlags are the policy flags of check.
type policyFlags struct {
	dirs    []string
	data    []string
	combine bool
	regoV0  bool
}

func (p *policyFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&p.dirs, "policy", nil, "folder of Rego policies written as for conftest: package main, deny/violation/warn rules (repeatable)")
	fl.StringArrayVar(&p.data, "data", nil, "JSON or YAML file (or folder) loaded under data for the policies (repeatable)")
	fl.BoolVar(&p.combine, "combine", false, "give the policies the whole cluster as input, a list of {path, contents}, as conftest --combine")
	fl.BoolVar(&p.regoV0, "rego-v0", false, "parse the policies as Rego v0 (before OPA 1.0)")
}

// apply sets the policy options from the configuration and the flags, and
// adds the configuration's rule settings to those of the flags, which win.
// Paths in the configuration are relative to its folder.
func (p *policyFlags) apply(opts *check.Config, cfg Config, cfgFile, path string, cat *finding.Catalog) error {
	dir := path
	if cfgFile != "" {
		dir = filepath.Dir(cfgFile)
	}
	rel := func(paths []string) []string {
		out := make([]string, len(paths))
		for i, p := range paths {
			out[i] = p
			if !filepath.IsAbs(p) {
				out[i] = filepath.Join(dir, p)
			}
		}
		return out
	}
	opts.Policies = policy.Options{
		Dirs:      append(rel(cfg.Policies), p.dirs...),
		DataFiles: append(rel(cfg.Data), p.data...),
		Combine:   cfg.Combine || p.combine,
		RegoV0:    p.regoV0,
	}
	if opts.Rules == nil {
		opts.Rules = map[string]check.RuleSetting{}
	}
	return configRuleSettings(opts.Rules, cfg.Rules, cat)
}

// configRuleSettings adds the rules key of the configuration to settings,
// leaving the rules that flags set alone. Every ID must be in the catalogue,
// except policy- IDs, which the user's policies may define.
func configRuleSettings(settings map[string]check.RuleSetting, rules map[string]RuleConfig, cat *finding.Catalog) error {
	for id, rc := range rules {
		if _, ok := cat.Lookup(id); !ok && !strings.HasPrefix(id, "policy-") {
			return fmt.Errorf("config: rules: no rule %q (see fluxlint rules)", id)
		}
		if _, set := settings[id]; set {
			continue
		}
		if rc.Severity == "off" {
			settings[id] = check.RuleSetting{Disabled: true}
			continue
		}
		sev, err := finding.ParseSeverity(rc.Severity)
		if err != nil {
			return fmt.Errorf("config: rules: %s: %w (or off)", id, err)
		}
		settings[id] = check.RuleSetting{Severity: &sev}
	}
	return nil
}

func newPolicy(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Work with Rego policies",
	}
	var regoV0, verbose bool
	test := &cobra.Command{
		Use:   "test [DIR...]",
		Short: "Run the Rego unit tests of policy folders, as opa test and conftest verify do",
		Long: `test runs the test_ rules of the *.rego files under each DIR (default: policy),
with the JSON and YAML data files found there, and prints the failures and a
summary line. It exits 1 when a test fails, 2 when a policy does not compile.`,
		Example: `  fluxlint policy test policy
  fluxlint policy test -v policy lib`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"policy"}
			}
			results, err := policy.RunTests(cmd.Context(), policy.TestOptions{Dirs: args, RegoV0: regoV0})
			if err != nil {
				return err
			}
			return printTestResults(stdout, results, verbose)
		},
	}
	test.Flags().BoolVar(&regoV0, "rego-v0", false, "parse the policies as Rego v0 (before OPA 1.0)")
	test.Flags().BoolVarP(&verbose, "verbose", "v", false, "print every test, not only the failures")
	cmd.AddCommand(test)
	return cmd
}

// printTestResults prints failed tests (every test with verbose) and the
// summary line, and returns exit code 1 when a test failed.
func printTestResults(w io.Writer, results []policy.TestResult, verbose bool) error {
	failed := 0
	for _, r := range results {
		if !r.Pass {
			failed++
		}
		if r.Pass && !verbose {
			continue
		}
		status := "PASS"
		switch {
		case r.Err != nil:
			status = "ERROR: " + r.Err.Error()
		case !r.Pass:
			status = "FAIL"
		}
		fmt.Fprintf(w, "%s: %s: %s\n", termsafe.Escape(r.Pos), termsafe.Escape(r.Name), termsafe.Escape(status))
		if !r.Pass && r.Output != "" {
			out := termsafe.EscapeEachLine(strings.TrimRight(r.Output, "\n"))
			fmt.Fprintf(w, "  %s\n", strings.ReplaceAll(out, "\n", "\n  "))
		}
	}
	fmt.Fprintf(w, "%d passed, %d failed\n", len(results)-failed, failed)
	if failed > 0 {
		return exitError{ExitFindings}
	}
	return nil
}
