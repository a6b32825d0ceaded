package helm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"

	chart "helm.sh/helm/v4/pkg/chart/v2"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
)

// A Prepared is a HelmRelease's render in three steps, so that a cluster
// can template independent releases at once:
//
//   - Prepare resolves everything the release reads of its cluster (the
//     chart and its source, valuesFrom, the CRDs' API versions), in the
//     cluster's goroutine;
//   - Template runs helm template, the post-renderers and commonMetadata;
//     it reads nothing of the cluster, so the Templates of different
//     releases may run concurrently;
//   - Finish makes the release's objects, whose namespaces depend on the
//     kinds the cluster's CRDs make cluster-scoped, in the cluster's
//     goroutine again.
type Prepared struct {
	r    *releaser
	hr   *model.Object
	spec map[string]any
	chrt *chart.Chart
	// at is the position that stands for the chart.
	at        finding.Pos
	namespace string
	// secrets are the values of the valuesFrom Secrets.
	secrets []string
	release Release
	// findings, when set, say why the release cannot render; Template
	// then does nothing.
	findings []finding.Finding
	// manifests and err are Template's result.
	manifests []Manifest
	err       error
}

// Prepare resolves what a HelmRelease's render reads of its cluster: the
// chart (a local folder, a chart repository or an OCI registry, through
// the cache) with its dependencies, the merged values (valuesFrom the
// cluster's ConfigMaps and Secrets, inline values) and the cluster's
// capabilities.
func Prepare(ctx context.Context, charts *Charts, c Cluster, hr *model.Object) *Prepared {
	r := &releaser{charts: charts, cluster: c}
	p := &Prepared{r: r, hr: hr}
	p.spec, _ = hr.Content["spec"].(map[string]any)
	chrt, at, f := r.loadChart(ctx, hr)
	p.chrt, p.at = chrt, at
	if f == nil && chrt != nil {
		f = r.addDependencies(ctx, chrt, at)
	}
	if f != nil {
		p.findings = []finding.Finding{*f}
		return p
	}
	p.namespace = hr.Ref.Namespace
	if tn := str(p.spec, "targetNamespace"); tn != "" {
		p.namespace = tn
	}
	sources := r.valuesSources(hr, p.spec)
	values, err := Values(ctx, render.FakeClient(sources), hr.Ref.Namespace, p.spec)
	if err != nil {
		pos := hr.PosOf([]string{"spec", "valuesFrom"})
		var ve *ValuesError
		if errors.As(err, &ve) {
			pos = hr.PosOf([]string{"spec", "valuesFrom", fmt.Sprint(ve.Index)})
		}
		p.findings = []finding.Finding{{RuleID: RuleValues, Severity: finding.Error, Pos: pos, Message: "values: " + err.Error()}}
		return p
	}
	p.secrets = valuesSecrets(sources)
	p.release = Release{
		Chart: chrt, ChartKey: r.chartKey, Values: values, Namespace: p.namespace,
		Name:                 model.ReleaseName(hr.Ref.Name, str(p.spec, "releaseName"), str(p.spec, "targetNamespace")),
		KubeVersion:          charts.KubeVersion,
		APIVersions:          append(slices.Clone(charts.KubeAPIs), r.crdVersions()...),
		IncludeCRDs:          str(p.spec, "install", "crds") != "Skip",
		SkipSchemaValidation: value(p.spec, "install", "disableSchemaValidation") == true,
		Timeout:              charts.RenderTimeout,
		Cache:                charts.Output,
		Secrets:              append(append([]string(nil), p.secrets...), hr.Secrets...),
		CacheSalt:            charts.OutputSalt,
	}
	if r.lazy != nil {
		// Template loads the chart only to render it; Finish reads it
		// only then (a failed render is never cached).
		p.release.LoadChart = func() (*chart.Chart, error) {
			c, err := r.lazy.load()
			p.chrt = c
			return c, err
		}
	}
	return p
}

// Template renders the prepared chart, then applies the post-renderers
// (kustomize builds, which kbuild runs one at a time in the process) and
// commonMetadata. It reads nothing of the cluster, and the Templates of
// different Prepared may run concurrently.
func (p *Prepared) Template(ctx context.Context) {
	if p.findings != nil {
		return
	}
	manifests, err := Template(ctx, p.release)
	if err == nil {
		Rewrite(manifests, p.spec)
		postRenderers, _ := p.spec["postRenderers"].([]any)
		manifests, err = PostRender(manifests, postRenderers, str(p.spec, "postRenderStrategy"))
	}
	if err == nil {
		common, _ := p.spec["commonMetadata"].(map[string]any)
		SetMetadata(manifests, common, p.hr.Ref.Name, p.hr.Ref.Namespace, str(p.spec, "postRenderStrategy"))
	}
	p.manifests, p.err = manifests, err
}

// Finish returns what the render gave: the release's objects, in the
// release namespace unless the cluster's kinds say they have none, or the
// findings that say why it did not render.
func (p *Prepared) Finish() Rendered {
	out := Rendered{External: p.r.external, Charts: p.r.resolved}
	var se *SchemaError
	switch {
	case p.findings != nil:
		out.Findings = p.findings
	case p.chrt == nil && p.err != nil:
		// The archive, whose facts were kept, did not load this time.
		out.Findings = []finding.Finding{{RuleID: RuleChartInvalid, Severity: finding.Error, Pos: p.at,
			Message: "chart " + p.r.lazy.facts.Name + ": " + p.err.Error()}}
	case errors.As(p.err, &se) && len(se.Violations) > 0:
		out.Findings = valuesSchemaFindings(p.hr, p.chrt, se, p.at)
	case p.err != nil:
		out.Findings = []finding.Finding{{RuleID: RuleTemplate, Severity: finding.Error, Pos: p.at,
			Message: fmt.Sprintf("chart %s %s does not render: %s", p.chrt.Metadata.Name, p.chrt.Metadata.Version, p.err)}}
	default:
		out.Objects = p.r.objects(p.hr, p.manifests, p.namespace, p.secrets, p.at)
	}
	return out
}

// MayDefineCRDs says whether the release's output may hold a
// CustomResourceDefinition, which changes the capabilities of the releases
// after it: its chart, or a dependency, has a crds/ folder it installs, or
// a template that names the kind. It is a guess for scheduling, never for
// correctness: a template can make the kind up.
func (p *Prepared) MayDefineCRDs() bool {
	if p.findings != nil {
		return false
	}
	if p.chrt == nil {
		return p.r.lazy.mayDefineCRDs(p.release.IncludeCRDs)
	}
	if p.release.IncludeCRDs && len(p.chrt.CRDObjects()) > 0 {
		return true
	}
	return namesCRD(p.chrt)
}

// namesCRD says whether a template of a chart or of its dependencies
// names the kind CustomResourceDefinition.
func namesCRD(c *chart.Chart) bool {
	for _, f := range c.Templates {
		if bytes.Contains(f.Data, []byte("CustomResourceDefinition")) {
			return true
		}
	}
	for _, d := range c.Dependencies() {
		if namesCRD(d) {
			return true
		}
	}
	return false
}
