package check

import "github.com/fluxlint/fluxlint/internal/finding"

// RuleInternal reports a crash inside fluxlint, or schemas that cannot be
// loaded: a bug in fluxlint, never in the repository.
const RuleInternal = finding.RuleInternal

// Rules returns the rules of the findings the pipeline itself reports:
// its own failures and the suppression comments it applies.
func Rules() []finding.Rule {
	return []finding.Rule{
		{ID: RuleInternal, Severity: finding.Error,
			Title: "fluxlint crashed or could not load what a check needs",
			Why:   "A bug in fluxlint stopped the render of a cluster, or a check of it: what it would have found is not reported. The rest of the run is checked as usual.",
			Fix:   "Nothing in the repository to fix: report it at https://github.com/fluxlint/fluxlint/issues with the message, and the file it names when you can share it."},
		{ID: RuleSuppressionInvalid, Severity: finding.Warning,
			Title: "A fluxlint:ignore comment is malformed",
			Why:   "It suppresses nothing: the finding it was meant for is still reported, and a reason keeps the exception reviewable.",
			Fix:   "Write # fluxlint:ignore RULE-ID reason, with a rule ID from fluxlint rules and a reason.",
			Bad:   "replicas: 0  # fluxlint:ignore", Good: "replicas: 0  # fluxlint:ignore schema-invalid scaled down until the migration"},
		{ID: RuleSuppressionUnused, Severity: finding.Info,
			Title: "A fluxlint:ignore comment suppresses nothing",
			Why:   "A stale suppression would silently hide a future finding on that line. Only a run of every cluster reports it: a shard (--shard), named clusters (--cluster) or --changed-since leave out clusters the comment may serve.",
			Fix:   "Remove the comment, or put it on or directly above the line of the finding it is for."},
	}
}
