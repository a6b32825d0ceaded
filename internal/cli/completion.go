package cli

import (
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/report"
	"github.com/fluxlint/fluxlint/internal/schema"
)

// Shell completion (fluxlint completion bash|zsh|fish|powershell) asks the
// binary for candidates through cobra's hidden __complete command; the
// functions here answer for rule IDs, formats, severities, versions and
// clusters. They read only the rule catalogue, the embedded schemas, the
// configuration file and the repository's file names, and never render.

// registerCompletion completes a flag of cmd with fn, when cmd has it.
func registerCompletion(cmd *cobra.Command, flag string, fn cobra.CompletionFunc) {
	if cmd.Flags().Lookup(flag) == nil {
		return
	}
	// The only errors are a missing flag, ruled out above, and a second
	// registration, which the completion tests would show.
	_ = cmd.RegisterFlagCompletionFunc(flag, fn)
}

// completeCheckFlags registers the completions of the flags that check,
// report, diff, render and charts pull share; those a command lacks are
// skipped.
func completeCheckFlags(cmd *cobra.Command) {
	registerCompletion(cmd, "disable", completeRuleIDs)
	registerCompletion(cmd, "severity", completeSeverity)
	registerCompletion(cmd, "fail-on", fixedCompletion("error", "warning", "info", "none"))
	registerCompletion(cmd, "kubernetes-version", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return schema.Versions(), cobra.ShellCompDirectiveNoFileComp
	})
	registerCompletion(cmd, "flux-version", func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return schema.FluxVersions(), cobra.ShellCompDirectiveNoFileComp
	})
	registerCompletion(cmd, "cluster", completeClusterPaths)
}

// fixedCompletion completes a flag from a fixed list.
func fixedCompletion(values ...string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// ruleCompletions lists every rule ID with its title as the description.
func ruleCompletions(suffix string) []cobra.Completion {
	cat, err := check.Catalog()
	if err != nil {
		return nil
	}
	var out []cobra.Completion
	for _, r := range cat.Rules() {
		out = append(out, cobra.CompletionWithDesc(r.ID+suffix, r.Title))
	}
	return out
}

// completeRuleIDs completes a rule ID (--disable).
func completeRuleIDs(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return ruleCompletions(""), cobra.ShellCompDirectiveNoFileComp
}

// completeSeverity completes --severity RULE=LEVEL: the rule IDs with an
// equals sign first, then the levels of the rule typed.
func completeSeverity(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	id, _, typed := strings.Cut(toComplete, "=")
	if !typed {
		return ruleCompletions("="), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
	var out []cobra.Completion
	for _, level := range []string{"error", "warning", "info"} {
		out = append(out, id+"="+level)
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeRulesArgs completes rules explain ID.
func completeRulesArgs(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	switch len(args) {
	case 0:
		return []cobra.Completion{cobra.CompletionWithDesc("explain", "why a rule matters and how to fix it")}, cobra.ShellCompDirectiveNoFileComp
	case 1:
		if args[0] == "explain" {
			return ruleCompletions(""), cobra.ShellCompDirectiveNoFileComp
		}
	}
	return nil, cobra.ShellCompDirectiveNoFileComp
}

// completeCheckFormats completes check's --format: the format names; a
// NAME=FILE value is left to the user.
func completeCheckFormats(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if strings.Contains(toComplete, "=") {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return report.Formats(), cobra.ShellCompDirectiveNoFileComp
}

// completionClusters lists the clusters a completion offers for the
// repository that args name (default .): those of its configuration file
// (--config, else PATH/.fluxlint.yaml) when it names some, else the
// candidates of discovery, found by reading file names and the few files
// that may name a sync path, without rendering.
func completionClusters(cmd *cobra.Command, args []string) []flux.Entry {
	path := pathArg(args)
	cfgPath, _ := cmd.Flags().GetString("config")
	explicit := cfgPath != ""
	if !explicit {
		cfgPath = filepath.Join(path, ConfigFile)
	}
	if cfg, err := loadConfig(cfgPath, explicit); err == nil && len(cfg.Clusters) > 0 {
		entries, err := parseClusters(nil, cfg.Clusters)
		if err == nil {
			return entries
		}
	}
	entries, err := discover(path)
	if err != nil {
		return nil
	}
	return entries
}

// completeClusterPaths completes --cluster of check, report, diff and
// charts pull, which takes NAME=PATH or a PATH (named after its folder,
// as discovery names it): each cluster's path, described by its name.
func completeClusterPaths(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, e := range completionClusters(cmd, args) {
		out = append(out, cobra.CompletionWithDesc(e.Path, "cluster "+e.Name))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeClusterNames completes render's --cluster, which takes a
// cluster's name: each name, described by its path.
func completeClusterNames(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var out []cobra.Completion
	for _, e := range completionClusters(cmd, args) {
		out = append(out, cobra.CompletionWithDesc(e.Name, e.Path))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}
