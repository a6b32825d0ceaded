package helm

import "github.com/fluxlint/fluxlint/internal/finding"

// Rule IDs of the findings about HelmReleases.
const (
	RuleChartUnavailable = "helm-chart-unavailable"
	RuleChartInvalid     = "helm-chart-invalid"
	RuleValues           = "helm-values"
	RuleTemplate         = "helm-template"
	RuleValuesSchema     = "helm-values-schema"
)

// Rules returns the rules of the findings about HelmReleases: their
// charts, values and templates.
func Rules() []finding.Rule {
	return []finding.Rule{
		{ID: RuleChartUnavailable, Severity: finding.Warning,
			Title: "A HelmRelease's chart cannot be had",
			Why:   "The chart is not in a local source nor in the chart cache (or cannot be downloaded): what the release deploys is not checked. With --offline, a chart that is only not cached is information: the run chose not to download it.",
			Fix:   "Run `fluxlint charts pull` while online, map the repository in chartMirrors, or check the chart's name, version and source."},
		{ID: RuleChartInvalid, Severity: finding.Error,
			Title: "A HelmRelease's chart does not load",
			Why:   "The source-controller cannot package the chart and the release never installs.",
			Fix:   "Fix the chart path or the chart named in the message (Chart.yaml, templates, archive)."},
		{ID: RuleValues, Severity: finding.Error,
			Title: "A HelmRelease's valuesFrom cannot be resolved",
			Why:   "The helm-controller fails the release when a valuesFrom ConfigMap, Secret or key that is not optional is missing.",
			Fix:   "Create the object or key in the HelmRelease's namespace, fix valuesKey, or set optional: true.",
			Bad:   "valuesFrom:\n  - kind: ConfigMap\n    name: web-valuez", Good: "valuesFrom:\n  - kind: ConfigMap\n    name: web-values"},
		{ID: RuleValuesSchema, Severity: finding.Error,
			Title: "A value breaks the chart's values.schema.json",
			Why:   "Helm refuses to install or upgrade the release.",
			Fix:   "Give the value the type and form the chart's schema asks for.",
			Bad:   "values:\n  replicaCount: two", Good: "values:\n  replicaCount: 2"},
		{ID: RuleTemplate, Severity: finding.Error,
			Title: "A HelmRelease's chart does not render",
			Why:   "A template error or a chart's fail makes the helm-controller fail the release.",
			Fix:   "Fix the values the chart's message names, or the chart."},
	}
}
