package source

import "github.com/fluxlint/fluxlint/internal/finding"

// Rules returns the rules of the YAML findings that reading a repository
// (and a build that meets a file that is not a manifest) reports.
func Rules() []finding.Rule {
	return []finding.Rule{
		{ID: RuleDuplicateKey, Severity: finding.Error,
			Title: "A mapping repeats a key",
			Why:   "Only one of the values survives, and tools disagree on which. In a file that a kustomize generator stores as data (a program's configuration), the program may take repeated keys on purpose: there it is a warning.",
			Fix:   "Remove or merge the repeated key."},
		{ID: RuleNotObject, Severity: finding.Error,
			Title: "Flux reads a file that is not a Kubernetes manifest",
			Why:   "A Kustomization path without kustomization.yaml makes Flux read every YAML file below it; one that is not a manifest fails the build.",
			Fix:   "Point spec.path at a folder of manifests, add a kustomization.yaml that lists them, or exclude the file with .sourceignore."},
		{ID: RuleSyntax, Severity: finding.Error,
			Title: "Invalid YAML",
			Why:   "Flux cannot parse the file; the Kustomization that reads it fails.",
			Fix:   "Fix the syntax at the line given."},
	}
}
