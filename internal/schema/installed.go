package schema

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/Masterminds/semver/v3"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// catalogueCharts names the charts that install a project of the CRD
// catalogue at a chart version equal to the project's release, so that a
// HelmRelease of one says which release of the project's CRDs the cluster
// serves. Charts versioned apart from their project (kube-prometheus-stack,
// kyverno, traefik...) are left out: their version says nothing here.
var catalogueCharts = map[string]string{
	"cert-manager":           "cert-manager",
	"cilium":                 "cilium",
	"crossplane":             "crossplane",
	"dragonfly-operator":     "dragonfly-operator",
	"external-secrets":       "external-secrets",
	"gateway-helm":           "envoy-gateway",
	"grafana-operator":       "grafana-operator",
	"keda":                   "keda",
	"kopiur":                 "kopiur",
	"litellm-operator":       "litellm-operator",
	"longhorn":               "longhorn",
	"metallb":                "metallb",
	"miroir":                 "miroir",
	"node-feature-discovery": "node-feature-discovery",
	"pgo":                    "crunchy-postgres",
	"pocket-id-operator":     "pocket-id-operator",
	"renovate-operator":      "renovate-operator",
	"rook-ceph":              "rook",
	"tailscale-operator":     "tailscale",
	"tofu-controller":        "tofu-controller",
	"toolhive-operator":      "toolhive",
	"toolhive-operator-crds": "toolhive",
	"volsync":                "volsync",
}

// An installedRelease is the release of a catalogue project that a
// HelmRelease of the cluster installs.
type installedRelease struct {
	version *semver.Version
	// by names the HelmRelease, for messages.
	by string
	// variant, instead of a version, is a chart other than the project's
	// own whose name holds the own chart's as whole dash-separated words
	// (volsync-perfectra1n, a fork with CRDs of its own): what it serves
	// may differ from any release of the project.
	variant string
	// channel is the catalogue version of the project that the variant
	// installs, when the catalogue has one: a version whose name ends with
	// the variant's other words (volsync's v0.17.11-perfectra1n). The
	// cluster's objects of the project are then checked with it.
	channel string
}

// String describes what is installed, for the memo's context.
func (r installedRelease) String() string {
	if r.variant != "" {
		return "chart " + r.variant + " " + r.channel + " " + r.by
	}
	return r.version.String() + " " + r.by
}

// installedReleases returns, by catalogue project, the release that the
// cluster's HelmReleases install, when a chart of catalogueCharts is pinned
// to an exact version (spec.chart.spec.version, or the tag of the
// OCIRepository a chartRef names).
func installedReleases(c *model.Cluster) map[string]installedRelease {
	out := map[string]installedRelease{}
	for _, hr := range c.HelmReleases {
		chart, version := releaseChart(c, hr)
		project, ok := catalogueCharts[chart]
		if !ok {
			if variant, own := variantOf(chart); variant != "" && out[variant].version == nil {
				out[variant] = installedRelease{variant: chart, by: hr.Ref.String(), channel: catalogueChannel(variant, chart, own)}
			}
			continue
		}
		if channel := forkChannel(project, releaseURL(c, hr)); channel != "" {
			// The project's chart, from a fork's repository.
			out[project] = installedRelease{variant: chart + " from " + releaseURL(c, hr), by: hr.Ref.String(), channel: channel}
			continue
		}
		v, err := semver.StrictNewVersion(strings.TrimPrefix(version, "v"))
		if err != nil {
			continue
		}
		out[project] = installedRelease{version: v, by: hr.Ref.String()}
	}
	return out
}

// variantOf returns the catalogue project whose own chart's name a chart's
// name holds as whole dash-separated words, when it is not that chart, and
// that own chart's name.
func variantOf(chart string) (project, own string) {
	for _, own := range slices.Sorted(maps.Keys(catalogueCharts)) {
		if chart != own && (strings.HasPrefix(chart, own+"-") || strings.HasSuffix(chart, "-"+own) || strings.Contains(chart, "-"+own+"-")) {
			return catalogueCharts[own], own
		}
	}
	return "", ""
}

// catalogueChannel returns the catalogue version of project that a variant
// chart installs: the one whose name ends with the words the variant adds
// to the own chart's name ("volsync-perfectra1n" to "v0.17.11-perfectra1n"),
// or "" when the catalogue has none.
func catalogueChannel(project, chart, own string) string {
	extra := strings.Trim(strings.Replace(chart, own, "", 1), "-")
	if extra == "" {
		return ""
	}
	for _, p := range CatalogueProjects() {
		if p.Name != project {
			continue
		}
		for _, v := range p.Versions {
			if strings.HasSuffix(v, "-"+extra) {
				return v
			}
		}
	}
	return ""
}

// forkChannel returns the catalogue version of a project that a fork
// publishes under the project's own chart name from a repository of its
// own: the version whose last dash-separated word (v0.17.11-perfectra1n's
// perfectra1n) is a word of the chart repository's URL
// (https://perfectra1n.github.io/volsync/charts/), or "".
func forkChannel(project, url string) string {
	if url == "" {
		return ""
	}
	words := strings.FieldsFunc(strings.ToLower(url), func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-'
	})
	for _, p := range CatalogueProjects() {
		if p.Name != project {
			continue
		}
		for _, v := range p.Versions {
			i := strings.LastIndex(v, "-")
			if i < 0 {
				continue
			}
			if fork := strings.ToLower(v[i+1:]); len(fork) >= 4 && slices.ContainsFunc(words, func(w string) bool {
				return w == fork || strings.HasPrefix(w, fork+"-") || strings.HasSuffix(w, "-"+fork)
			}) {
				return v
			}
		}
	}
	return ""
}

// releaseURL returns the URL of the repository a HelmRelease's chart comes
// from: its HelmRepository's spec.url, or the OCIRepository's its
// chartRef names; "" when the cluster does not define it.
func releaseURL(c *model.Cluster, hr *model.Object) string {
	kind, name := stringAt(hr.Content, "spec", "chart", "spec", "sourceRef", "kind"), stringAt(hr.Content, "spec", "chart", "spec", "sourceRef", "name")
	ns := stringAt(hr.Content, "spec", "chart", "spec", "sourceRef", "namespace")
	if name == "" {
		kind, name, ns = stringAt(hr.Content, "spec", "chartRef", "kind"), stringAt(hr.Content, "spec", "chartRef", "name"), stringAt(hr.Content, "spec", "chartRef", "namespace")
	}
	if ns == "" {
		ns = hr.Ref.Namespace
	}
	for _, o := range c.Objects {
		if o.Ref.Kind == kind && o.Ref.Namespace == ns && o.Ref.Name == name && model.IsFluxGroup(model.Group(o.Ref.APIVersion)) {
			return stringAt(o.Content, "spec", "url")
		}
	}
	return ""
}

// catalogueChannels returns, by project, the catalogue version that the
// cluster's variant charts install (installedRelease.channel).
func catalogueChannels(installed map[string]installedRelease) map[string]string {
	out := map[string]string{}
	for project, in := range installed {
		if in.channel != "" {
			out[project] = in.channel
		}
	}
	return out
}

// releaseChart returns the chart name and version a HelmRelease asks for.
func releaseChart(c *model.Cluster, hr *model.Object) (chart, version string) {
	if chart = stringAt(hr.Content, "spec", "chart", "spec", "chart"); chart != "" {
		return path.Base(chart), stringAt(hr.Content, "spec", "chart", "spec", "version")
	}
	if stringAt(hr.Content, "spec", "chartRef", "kind") != "OCIRepository" {
		return "", ""
	}
	ns := stringAt(hr.Content, "spec", "chartRef", "namespace")
	if ns == "" {
		ns = hr.Ref.Namespace
	}
	name := stringAt(hr.Content, "spec", "chartRef", "name")
	for _, o := range c.Objects {
		if o.Ref.Kind == "OCIRepository" && o.Ref.Namespace == ns && o.Ref.Name == name {
			return path.Base(stringAt(o.Content, "spec", "url")), stringAt(o.Content, "spec", "ref", "tag")
		}
	}
	return "", ""
}

// olderInstalled returns, for a schema the catalogue gave (source
// "external-secrets v2.9.0"), what the cluster installs of that project
// when it is an older release than the catalogue's (olderRelease): the
// catalogue's CRDs then say nothing certain of the cluster's. "" otherwise.
func olderInstalled(installed map[string]installedRelease, source string) string {
	project, catalogued, _ := strings.Cut(source, " ")
	in, ok := installed[project]
	if !ok || in.version == nil {
		return ""
	}
	cv, err := semver.NewVersion(catalogued)
	if err != nil || !olderRelease(in.version, cv) {
		return ""
	}
	return fmt.Sprintf("%s %s (%s)", project, in.version, in.by)
}

// olderRelease reports whether installed is an older minor release than
// catalogued, or, both being 0.0 releases (whose every release semantic
// versioning lets change the API), an older patch release.
func olderRelease(installed, catalogued *semver.Version) bool {
	if installed.Major() != catalogued.Major() {
		return installed.Major() < catalogued.Major()
	}
	if installed.Minor() != catalogued.Minor() || installed.Major() != 0 || installed.Minor() != 0 {
		return installed.Minor() < catalogued.Minor()
	}
	return installed.Patch() < catalogued.Patch()
}

// stringAt returns the string at a path of an object's content, or "".
func stringAt(content map[string]any, keys ...string) string {
	s, _ := valueAt(content, keys...).(string)
	return s
}

// variantInstalled returns, for a schema the catalogue gave, the chart the
// cluster installs the project with when it is a variant of the project's
// own (installedRelease.variant); "" otherwise.
func variantInstalled(installed map[string]installedRelease, source string) string {
	project, version, _ := strings.Cut(source, " ")
	if in := installed[project]; in.variant != "" && in.channel != version {
		return fmt.Sprintf("chart %s (%s), not %s's own chart", in.variant, in.by, project)
	}
	return ""
}

// softenOlder turns the errors of a schema that the catalogue gave into
// warnings when the cluster installs an older release of its project
// (older, as olderInstalled says), and says so: that release may serve the
// apiVersion, or have the field, that the catalogue's does not.
func softenOlder(found []finding.Finding, older string) {
	soften(found, older, ", older than the catalogue's release")
}

// softenVariant turns the errors of a schema that the catalogue gave into
// warnings when the cluster installs its project with another chart
// (variant, as variantInstalled says), and says so: its CRDs may differ.
// A field that the project's own CRDs lack is information only: adding
// fields is what such forks do (volsync-perfectra1n's kopia mover, in
// every ReplicationSource and ReplicationDestination of the repositories
// that install it), so the catalogue cannot tell it from a typo.
func softenVariant(found []finding.Finding, variant string) {
	soften(found, variant, ": its CRDs may differ from the catalogue's")
	if variant == "" {
		return
	}
	for i := range found {
		if found[i].RuleID == RuleUnknownField && found[i].Severity == finding.Warning {
			found[i].Severity = finding.Info
		}
	}
}

// soften turns errors into warnings that say what the cluster installs
// instead of the catalogue's release, and why that matters.
func soften(found []finding.Finding, installed, why string) {
	if installed == "" {
		return
	}
	for i := range found {
		if found[i].Severity != finding.Error {
			continue
		}
		found[i].Severity = finding.Warning
		found[i].Message += "; the cluster installs " + installed + why
		found[i].Hint = "add the CRDs of the installed release to the repository (or pass them with --crd) to check against them"
	}
}
