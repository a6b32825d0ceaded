package flux

import "github.com/fluxlint/fluxlint/internal/finding"

// Rules returns the rules of the findings about a cluster's Flux graph:
// sources, duplicate objects and Flux Operator's objects.
func Rules() []finding.Rule {
	return []finding.Rule{
		{ID: RuleDuplicate, Severity: finding.Error,
			Title: "Two renders produce the same object",
			Why:   "Two Kustomizations that apply one object overwrite each other on every reconcile, and pruning by one deletes the other's object. Two copies alike are a warning: only Flux's owner labels pass between them, and the last to apply the object deletes it for both when it prunes it. So are two SOPS-encrypted copies that differ only in their encrypted values: SOPS encrypts one value differently each time, so whether they are alike is unknown offline. A Kustomization whose spec.path is the folder of its own file (an app's ks.yaml folder instead of the app/ folder below it) applies itself besides the Kustomization that applies it: the finding stands at that spec.path.",
			Fix:   "Keep the object in one place, or give the copies different names or namespaces; point a Kustomization that applies itself at the folder of its manifests."},
		{ID: RuleOperatorBuild, Severity: finding.Error,
			Title: "Flux Operator cannot build a FluxInstance's sync or a ResourceSet",
			Why:   "A ResourceSet whose template fails to parse or execute, or gives no valid object, applies nothing, and a FluxInstance whose sync cannot be built syncs nothing.",
			Fix:   "Fix the template named in the message (delimiters << >>, input names, the YAML it writes) or the sync settings.",
			Bad:   "resources:\n  - apiVersion: v1\n    kind: Namespace\n    metadata:\n      name: << inputs.tenat >>",
			Good:  "resources:\n  - apiVersion: v1\n    kind: Namespace\n    metadata:\n      name: << inputs.tenant >>"},
		{ID: RuleOperatorInputs, Severity: finding.Info,
			Title: "A ResourceSet input provider is not known offline",
			Why:   "Providers such as GitHubPullRequest or OCIArtifactTag ask an API when the operator runs; what the ResourceSet generates for their inputs is not checked.",
			Fix:   "Nothing to fix; use a Static provider or inline inputs for what must be checked."},
		{ID: RuleSourceMissing, Severity: finding.Error,
			Title: "A Kustomization's sourceRef names no source of the cluster",
			Why:   "Flux cannot fetch anything and the Kustomization stays not ready.",
			Fix:   "Create the GitRepository, OCIRepository or Bucket, or fix sourceRef's kind, name and namespace."},
		{ID: RuleSourceUnavailable, Severity: finding.Warning,
			Title: "A source cannot be read offline",
			Why:   "What a Kustomization deploys from another repository, a bucket or an OCI artifact is not checked.",
			Fix:   "Map the source's URL to a local checkout in .fluxlint.yaml under sources."},
	}
}
