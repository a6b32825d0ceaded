package render

import "github.com/fluxlint/fluxlint/internal/finding"

// Rules returns the rules of the findings a render reports: kustomize
// builds, remote bases and postBuild substitution.
func Rules() []finding.Rule {
	return []finding.Rule{
		{ID: RuleBuild, Severity: finding.Error,
			Title: "kustomize build fails",
			Why:   "Flux runs the same build; the Kustomization fails and nothing of it is applied.",
			Fix:   "Fix the kustomization.yaml or spec.path named in the message.",
			Bad:   "spec:\n  path: ./   # builds the whole repository, chart templates included",
			Good:  "spec:\n  path: ./clusters/production"},
		{ID: RuleRemote, Severity: finding.Warning,
			Title: "A kustomization names a remote base",
			Why:   "fluxlint never clones or downloads remote bases or remote generator files, so what they deploy is not checked (the rest of the Kustomization is built and checked without them, and references to what they may make are not reported); Flux fetches them at reconcile time, where a moved tag or a deleted repository fails late.",
			Fix:   "Vendor the base into the repository, or accept that it is not checked.",
			Bad:   "resources:\n  - https://github.com/example/infra//base?ref=v1.0.0", Good: "resources:\n  - ../vendor/infra/base"},
		{ID: RuleIdentity, Severity: finding.Error,
			Title: "A rendered object has no apiVersion, kind or name",
			Why:   "The kustomize-controller rejects the whole Kustomization.",
			Fix:   "Give the document apiVersion, kind and metadata.name."},
		{ID: RuleSubstituteFrom, Severity: finding.Error,
			Title: "postBuild.substituteFrom names a missing ConfigMap or Secret",
			Why:   "Flux fails the Kustomization when a substituteFrom object that is not optional does not exist.",
			Fix:   "Create the object in the Kustomization's namespace, or set optional: true."},
		{ID: RuleSubstitute, Severity: finding.Error,
			Title: "postBuild substitution fails",
			Why:   "Flux fails the Kustomization.",
			Fix:   "Fix the variable expression or the variable name named in the message."},
		{ID: RuleUnresolved, Severity: finding.Error,
			Title: "A ${VAR} has no value and no default",
			Why: "Flux's strict substitution (the default since kustomize-controller 1.9) fails the whole Kustomization. " +
				"Variables come from postBuild.substitute, the substituteFrom objects and, in a cluster that runs xUnholy's " +
				"kustomize-mutating-webhook, the ConfigMaps and Secrets that the webhook adds to every Flux Kustomization " +
				"outside the namespaces its namespaceSelector leaves out (flux-system by default).",
			Fix:  "Add the variable to postBuild.substitute or to a substituteFrom object, or give it a default with ${VAR:=default}.",
			Bad:  "namespace: ${app_ns}",
			Good: "namespace: ${app_ns:=apps}"},
	}
}
