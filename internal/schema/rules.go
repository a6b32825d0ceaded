package schema

import "github.com/fluxlint/fluxlint/internal/finding"

// Rule IDs of the findings about an object's apiVersion and kind, about
// CRDs, and about the schemas a cluster is validated with; the violations
// of a schema have RuleInvalid, RuleRequired, RuleUnknownField and RuleCEL.
const (
	// RuleAPIVersion is an apiVersion that is not served.
	RuleAPIVersion = "schema-api-version"
	// RuleUnknownKind is a kind without a schema.
	RuleUnknownKind = "schema-kind-unknown"
	// RuleAPIDeprecated is a served apiVersion that a later release removes.
	RuleAPIDeprecated = "schema-api-deprecated"
	// RuleCRDInvalid is a CustomResourceDefinition fluxlint cannot read.
	RuleCRDInvalid = "schema-crd-invalid"
	// RuleFluxVersion is a cluster whose Flux release has no embedded
	// schemas, validated with the nearest embedded release instead.
	RuleFluxVersion = "schema-flux-version"
	// RuleKubernetesVersion is the same for the cluster's Kubernetes
	// version.
	RuleKubernetesVersion = "schema-kubernetes-version"
)

// Rules returns the rules of the schema findings.
func Rules() []finding.Rule {
	return []finding.Rule{
		{ID: RuleInvalid, Severity: finding.Error,
			Title: "A field has a value its schema does not allow",
			Why: "The API server rejects the object when Flux applies it. A label value that is not a string on an object a Flux Kustomization applies is a warning: " +
				"kustomize-controller then applies the object without any of its own labels.",
			Fix: "Use a value of the type and form the schema names.",
			Bad: "replicas: \"two\"", Good: "replicas: 2"},
		{ID: RuleRequired, Severity: finding.Error,
			Title: "A required field is missing",
			Why:   "The API server rejects the object when Flux applies it.",
			Fix:   "Add the field named in the message."},
		{ID: RuleUnknownField, Severity: finding.Error,
			Title: "A field the schema does not know",
			Why:   "Flux applies with strict field validation: the API server rejects unknown fields; a typo silently loses the setting elsewhere.",
			Fix:   "Fix the field's spelling or indentation, or remove it.",
			Bad:   "spec:\n  replica: 2", Good: "spec:\n  replicas: 2"},
		{ID: RuleAPIDeprecated, Severity: finding.Warning,
			Title: "An apiVersion that is deprecated or removed by a later release",
			Why:   "Its CRD marks it deprecated, or a newer embedded Kubernetes version no longer serves it: the apply fails after the upgrade.",
			Fix:   "Move to the apiVersion the message names and adapt the fields that changed.",
			Bad:   "apiVersion: storage.k8s.io/v1beta1\nkind: VolumeAttributesClass", Good: "apiVersion: storage.k8s.io/v1\nkind: VolumeAttributesClass"},
		{ID: RuleCEL, Severity: finding.Error,
			Title: "A CEL validation rule of the kind's CRD fails",
			Why:   "The API server evaluates the CRD's x-kubernetes-validations rules and rejects the object.",
			Fix:   "Change the object as the rule's message says.",
			Bad:   "kind: HelmRelease\nspec:\n  interval: 5m", Good: "kind: HelmRelease\nspec:\n  interval: 5m\n  chartRef:\n    kind: OCIRepository\n    name: podinfo"},
		{ID: RuleCRDInvalid, Severity: finding.Error,
			Title: "A CustomResourceDefinition that cannot be read",
			Why:   "It has no group or kind, or is not a CRD of apiextensions.k8s.io/v1: the API server rejects it and its custom resources are not validated.",
			Fix:   "Fix the CRD named in the message."},
		{ID: RuleAPIVersion, Severity: finding.Error,
			Title: "An apiVersion that is no longer served",
			Why:   "The API server (or Flux's current CRDs) does not serve it: the apply fails.",
			Fix:   "Move to the served apiVersion named in the message and adapt the fields that changed.",
			Bad:   "apiVersion: kustomize.toolkit.fluxcd.io/v1beta2", Good: "apiVersion: kustomize.toolkit.fluxcd.io/v1"},
		{ID: RuleUnknownKind, Severity: finding.Info,
			Title: "A kind with no schema",
			Why:   "Objects of kinds fluxlint has no schema for are not validated.",
			Fix:   "Commit the kind's CRD (a chart's crds/ counts), pass it with --crd, or point --schema-location at its JSON schema."},
		{ID: RuleFluxVersion, Severity: finding.Info,
			Title: "A cluster's Flux release has no embedded schemas",
			Why:   "The cluster is validated with the CRDs of the nearest embedded release not newer than its own (the newest when its own is newer): an apiVersion or field that differs between the two releases can be reported wrongly or missed.",
			Fix:   "Check the cluster's Flux version (a FluxInstance's spec.distribution.version, the header of gotk-components.yaml, or the configuration); `fluxlint version` lists the embedded releases."},
		{ID: RuleKubernetesVersion, Severity: finding.Info,
			Title: "A cluster's Kubernetes version has no embedded schemas",
			Why:   "The cluster is validated with the schemas of the nearest embedded version not newer than its own (the oldest when its own is older than all): an apiVersion that differs between the two can be reported wrongly or missed.",
			Fix:   "Set the cluster's Kubernetes version to one that `fluxlint version` lists, or accept the nearest one."},
	}
}
