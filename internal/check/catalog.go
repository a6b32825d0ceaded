package check

import (
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/policy"
	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/source"
	"github.com/fluxlint/fluxlint/internal/xref"
)

// Catalog returns every rule fluxlint checks, in one explicit list sorted
// by ID.
func Catalog() (*finding.Catalog, error) {
	// The reference and policy rules live with their checkers; the policy
	// rules come from the METADATA of the built-in Rego files.
	policies, err := policy.Rules()
	if err != nil {
		return nil, err
	}
	return finding.NewCatalog(append(append(xref.Rules(), policies...),
		finding.Rule{ID: flux.RuleDuplicate, Severity: finding.Error,
			Title: "Two renders produce the same object",
			Why:   "Two Kustomizations that apply one object overwrite each other on every reconcile, and pruning by one deletes the other's object.",
			Fix:   "Keep the object in one place, or give the copies different names or namespaces."},
		finding.Rule{ID: flux.RuleSourceMissing, Severity: finding.Error,
			Title: "A Kustomization's sourceRef names no source of the cluster",
			Why:   "Flux cannot fetch anything and the Kustomization stays not ready.",
			Fix:   "Create the GitRepository, OCIRepository or Bucket, or fix sourceRef's kind, name and namespace."},
		finding.Rule{ID: flux.RuleChartUnavailable, Severity: finding.Warning,
			Title: "A HelmRelease's chart cannot be had",
			Why:   "The chart is not in a local source nor in the chart cache (or cannot be downloaded): what the release deploys is not checked.",
			Fix:   "Run `fluxlint charts pull` while online, map the repository in chartMirrors, or check the chart's name, version and source."},
		finding.Rule{ID: flux.RuleChartInvalid, Severity: finding.Error,
			Title: "A HelmRelease's chart does not load",
			Why:   "The source-controller cannot package the chart and the release never installs.",
			Fix:   "Fix the chart path or the chart named in the message (Chart.yaml, templates, archive)."},
		finding.Rule{ID: flux.RuleValues, Severity: finding.Error,
			Title: "A HelmRelease's valuesFrom cannot be resolved",
			Why:   "The helm-controller fails the release when a valuesFrom ConfigMap, Secret or key that is not optional is missing.",
			Fix:   "Create the object or key in the HelmRelease's namespace, fix valuesKey, or set optional: true.",
			Bad:   "valuesFrom:\n  - kind: ConfigMap\n    name: web-valuez", Good: "valuesFrom:\n  - kind: ConfigMap\n    name: web-values"},
		finding.Rule{ID: flux.RuleValuesSchema, Severity: finding.Error,
			Title: "A value breaks the chart's values.schema.json",
			Why:   "Helm refuses to install or upgrade the release.",
			Fix:   "Give the value the type and form the chart's schema asks for.",
			Bad:   "values:\n  replicaCount: two", Good: "values:\n  replicaCount: 2"},
		finding.Rule{ID: flux.RuleTemplate, Severity: finding.Error,
			Title: "A HelmRelease's chart does not render",
			Why:   "A template error or a chart's fail makes the helm-controller fail the release.",
			Fix:   "Fix the values the chart's message names, or the chart."},
		finding.Rule{ID: flux.RuleSourceUnavailable, Severity: finding.Warning,
			Title: "A source cannot be read offline",
			Why:   "What a Kustomization deploys from another repository, a bucket or an OCI artifact is not checked.",
			Fix:   "Map the source's URL to a local checkout in .fluxlint.yaml under sources."},
		finding.Rule{ID: render.RuleBuild, Severity: finding.Error,
			Title: "kustomize build fails",
			Why:   "Flux runs the same build; the Kustomization fails and nothing of it is applied.",
			Fix:   "Fix the kustomization.yaml or spec.path named in the message.",
			Bad:   "spec:\n  path: ./   # builds the whole repository, chart templates included",
			Good:  "spec:\n  path: ./clusters/production"},
		finding.Rule{ID: render.RuleRemote, Severity: finding.Warning,
			Title: "A kustomization names a remote base",
			Why:   "fluxlint never clones or downloads remote bases, so what the Kustomization deploys is not checked; Flux fetches it at reconcile time, where a moved tag or a deleted repository fails late.",
			Fix:   "Vendor the base into the repository, or accept that it is not checked.",
			Bad:   "resources:\n  - https://github.com/example/infra//base?ref=v1.0.0", Good: "resources:\n  - ../vendor/infra/base"},
		finding.Rule{ID: render.RuleIdentity, Severity: finding.Error,
			Title: "A rendered object has no apiVersion, kind or name",
			Why:   "The kustomize-controller rejects the whole Kustomization.",
			Fix:   "Give the document apiVersion, kind and metadata.name."},
		finding.Rule{ID: render.RuleSubstituteFrom, Severity: finding.Error,
			Title: "postBuild.substituteFrom names a missing ConfigMap or Secret",
			Why:   "Flux fails the Kustomization when a substituteFrom object that is not optional does not exist.",
			Fix:   "Create the object in the Kustomization's namespace, or set optional: true."},
		finding.Rule{ID: render.RuleSubstitute, Severity: finding.Error,
			Title: "postBuild substitution fails",
			Why:   "Flux fails the Kustomization.",
			Fix:   "Fix the variable expression or the variable name named in the message."},
		finding.Rule{ID: render.RuleUnresolved, Severity: finding.Error,
			Title: "A ${VAR} has no value and no default",
			Why:   "Flux's strict substitution (the default since kustomize-controller 1.9) fails the whole Kustomization.",
			Fix:   "Add the variable to postBuild.substitute or to a substituteFrom object, or give it a default with ${VAR:=default}.",
			Bad:   "namespace: ${app_ns}",
			Good:  "namespace: ${app_ns:=apps}"},
		finding.Rule{ID: schemaRule("schema-invalid"), Severity: finding.Error,
			Title: "A field has a value its schema does not allow",
			Why:   "The API server rejects the object when Flux applies it.",
			Fix:   "Use a value of the type and form the schema names.",
			Bad:   "replicas: \"two\"", Good: "replicas: 2"},
		finding.Rule{ID: schemaRule("schema-required"), Severity: finding.Error,
			Title: "A required field is missing",
			Why:   "The API server rejects the object when Flux applies it.",
			Fix:   "Add the field named in the message."},
		finding.Rule{ID: schemaRule("schema-unknown-field"), Severity: finding.Error,
			Title: "A field the schema does not know",
			Why:   "Flux applies with strict field validation: the API server rejects unknown fields; a typo silently loses the setting elsewhere.",
			Fix:   "Fix the field's spelling or indentation, or remove it.",
			Bad:   "spec:\n  replica: 2", Good: "spec:\n  replicas: 2"},
		finding.Rule{ID: RuleAPIVersion, Severity: finding.Error,
			Title: "An apiVersion that is no longer served",
			Why:   "The API server (or Flux's current CRDs) does not serve it: the apply fails.",
			Fix:   "Move to the served apiVersion named in the message and adapt the fields that changed.",
			Bad:   "apiVersion: kustomize.toolkit.fluxcd.io/v1beta2", Good: "apiVersion: kustomize.toolkit.fluxcd.io/v1"},
		finding.Rule{ID: RuleUnknownKind, Severity: finding.Info,
			Title: "A kind with no schema",
			Why:   "Objects of kinds fluxlint has no schema for are not validated.",
			Fix:   "Nothing to fix; CRDs found in the repository will be used in a later version."},
		finding.Rule{ID: RuleSuppressionInvalid, Severity: finding.Warning,
			Title: "A fluxlint:ignore comment is malformed",
			Why:   "It suppresses nothing: the finding it was meant for is still reported, and a reason keeps the exception reviewable.",
			Fix:   "Write # fluxlint:ignore RULE-ID reason, with a rule ID from fluxlint rules and a reason.",
			Bad:   "replicas: 0  # fluxlint:ignore", Good: "replicas: 0  # fluxlint:ignore schema-invalid scaled down until the migration"},
		finding.Rule{ID: RuleSuppressionUnused, Severity: finding.Info,
			Title: "A fluxlint:ignore comment suppresses nothing",
			Why:   "A stale suppression would silently hide a future finding on that line.",
			Fix:   "Remove the comment, or put it on or directly above the line of the finding it is for."},
		finding.Rule{ID: source.RuleDuplicateKey, Severity: finding.Error,
			Title: "A mapping repeats a key",
			Why:   "Only one of the values survives, and tools disagree on which.",
			Fix:   "Remove or merge the repeated key."},
		finding.Rule{ID: source.RuleNotObject, Severity: finding.Error,
			Title: "Flux reads a file that is not a Kubernetes manifest",
			Why:   "A Kustomization path without kustomization.yaml makes Flux read every YAML file below it; one that is not a manifest fails the build.",
			Fix:   "Point spec.path at a folder of manifests, add a kustomization.yaml that lists them, or exclude the file with .sourceignore."},
		finding.Rule{ID: source.RuleSyntax, Severity: finding.Error,
			Title: "Invalid YAML",
			Why:   "Flux cannot parse the file; the Kustomization that reads it fails.",
			Fix:   "Fix the syntax at the line given."},
	)...)
}

// schemaRule returns a validator rule ID unchanged; it marks where the
// catalogue names the validator's rules.
func schemaRule(id string) string { return id }
