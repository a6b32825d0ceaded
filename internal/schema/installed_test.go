package schema

import (
	"context"
	"strings"
	"testing"

	"github.com/Masterminds/semver/v3"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// TestOlderInstalled: only a release of the same project older than the
// catalogue's minor release makes the catalogue's schema uncertain.
func TestOlderInstalled(t *testing.T) {
	installed := map[string]installedRelease{
		"external-secrets": {version: semver.MustParse("0.10.4"), by: "HelmRelease/security/external-secrets"},
		"cert-manager":     {version: semver.MustParse("1.21.0"), by: "HelmRelease/cert-manager/cert-manager"},
	}
	cases := map[string]string{
		"external-secrets v2.9.0": "external-secrets 0.10.4 (HelmRelease/security/external-secrets)",
		"cert-manager v1.21.2":    "", // same minor release
		"cert-manager v1.20.2":    "", // newer than the catalogue's
		"cilium v1.20.2":          "", // not installed by a known chart
	}
	for source, want := range cases {
		if got := olderInstalled(installed, source); got != want {
			t.Errorf("olderInstalled(%q) = %q, want %q", source, got, want)
		}
	}
}

// TestCatalogueChartsNameProjects: every chart of catalogueCharts names a
// project of the embedded catalogue, or its release would never be found.
func TestCatalogueChartsNameProjects(t *testing.T) {
	projects := map[string]bool{}
	for _, p := range CatalogueProjects() {
		projects[p.Name] = true
	}
	for chart, project := range catalogueCharts {
		if !projects[project] {
			t.Errorf("chart %s names %s, which is not a catalogue project", chart, project)
		}
	}
}

// TestVariantInstalled: a cluster that installs a catalogue project with a
// chart other than the project's own (a fork whose CRDs have fields of
// their own) is checked with the fork's CRDs when the catalogue has them
// (volsync-perfectra1n); otherwise it gets warnings, not errors, from the
// catalogue's schema, and only information for a field the catalogue's
// CRD lacks. The project's own chart, or no chart at all, keeps them
// errors.
func TestVariantInstalled(t *testing.T) {
	source := testObject(t, "apps/volsync/source.yaml", `apiVersion: volsync.backube/v1alpha1
kind: ReplicationSource
metadata:
  name: data
  namespace: apps
spec:
  sourcePVC: data
  kopia:
    repository: data-kopia
  trigger:
    manual: 7
`)
	release := func(chart string) *model.Object {
		return testObject(t, "apps/volsync/helmrelease.yaml", `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: volsync
  namespace: storage
spec:
  interval: 1h
  chart:
    spec:
      chart: `+chart+`
      version: 0.16.0
      sourceRef:
        kind: HelmRepository
        name: charts
`)
	}
	check := func(releases ...*model.Object) []finding.Finding {
		c := &model.Cluster{Name: "prod", Path: "clusters/prod", Objects: append([]*model.Object{source}, releases...), HelmReleases: releases}
		var out []finding.Finding
		for _, f := range NewChecker(Options{}, nil, nil).Check(context.Background(), c) {
			if f.Object == source.Ref {
				out = append(out, f)
			}
		}
		return out
	}
	// field is the severity of the kopia field, which the catalogue's
	// volsync lacks and its perfectra1n channel has (kopiaValid: no
	// finding), and number that of the number where trigger.manual takes
	// a string.
	for name, tc := range map[string]struct {
		releases      []*model.Object
		kopiaValid    bool
		field, number finding.Severity
		source        string
	}{
		"no chart":               {nil, false, finding.Error, finding.Error, "volsync v0.16.0"},
		"own chart":              {[]*model.Object{release("volsync")}, false, finding.Error, finding.Error, "volsync v0.16.0"},
		"fork the catalogue has": {[]*model.Object{release("volsync-perfectra1n")}, true, 0, finding.Error, "volsync v0.17.11-perfectra1n"},
		"fork it lacks":          {[]*model.Object{release("volsync-acme")}, false, finding.Info, finding.Warning, "volsync v0.16.0"},
		"other project":          {[]*model.Object{release("cert-manager-webhook-volsyncx")}, false, finding.Error, finding.Error, "volsync v0.16.0"},
	} {
		found := check(tc.releases...)
		if want := map[bool]int{false: 2, true: 1}[tc.kopiaValid]; len(found) != want {
			t.Fatalf("%s: %d findings, want %d (trigger.manual, and kopia unless the fork's CRD has it): %v", name, len(found), want, found)
		}
		for _, f := range found {
			want := tc.number
			if f.RuleID == RuleUnknownField {
				want = tc.field
			}
			if f.Severity != want {
				t.Errorf("%s: %s %s %q, want %s", name, f.Severity, f.RuleID, f.Message, want)
			}
			if f.Severity == finding.Error && !strings.Contains(f.Hint, tc.source) {
				t.Errorf("%s: hint %q does not name %s", name, f.Hint, tc.source)
			}
			if f.Severity != finding.Error && !strings.Contains(f.Message, "chart volsync-acme (HelmRelease/storage/volsync), not volsync's own chart") {
				t.Errorf("%s: %q does not say which chart", name, f.Message)
			}
		}
	}
}

// TestInstalledAddedCharts: a HelmRelease of the chart of a project added to
// the catalogue from the count of public home-lab repositories, pinned to
// an older minor release than the catalogue's, says so, and one of the same
// minor release does not.
func TestInstalledAddedCharts(t *testing.T) {
	for _, tc := range []struct{ chart, version, source string }{
		{"pgo", "5.6.1", "crunchy-postgres v6.0.3"},
		{"dragonfly-operator", "v1.5.0", "dragonfly-operator v1.6.1"},
		{"litellm-operator", "0.0.9", "litellm-operator v0.0.15"},
		{"miroir", "0.10.4", "miroir v0.11.22"},
		{"node-feature-discovery", "0.16.4", "node-feature-discovery v0.19.0"},
		{"pocket-id-operator", "0.13.1", "pocket-id-operator v0.14.1"},
		{"renovate-operator", "4.7.1", "renovate-operator v6.0.1"},
		{"tailscale-operator", "1.98.9", "tailscale v1.102.3"},
		{"tofu-controller", "0.15.1", "tofu-controller v0.16.5"},
		{"toolhive-operator", "0.43.0", "toolhive v0.44.0"},
		{"toolhive-operator-crds", "0.40.1", "toolhive v0.44.0"},
	} {
		release := func(version string) *model.Cluster {
			hr := testObject(t, "apps/helmrelease.yaml", `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: app, namespace: apps}
spec:
  chart:
    spec: {chart: `+tc.chart+`, version: `+version+`, sourceRef: {kind: HelmRepository, name: charts}}
`)
			return &model.Cluster{Objects: []*model.Object{hr}, HelmReleases: []*model.Object{hr}}
		}
		older := olderInstalled(installedReleases(release(tc.version)), tc.source)
		if !strings.HasPrefix(older, strings.Fields(tc.source)[0]+" ") {
			t.Errorf("chart %s %s: olderInstalled(%q) = %q, want the installed release", tc.chart, tc.version, tc.source, older)
		}
		same := strings.Fields(tc.source)[1]
		if got := olderInstalled(installedReleases(release(same)), tc.source); got != "" {
			t.Errorf("chart %s %s: olderInstalled(%q) = %q, want none", tc.chart, same, tc.source, got)
		}
	}
}

// TestOlderRelease: a release is older when its minor release is, or, for
// 0.0 releases, whose every release may change the API, its patch release.
func TestOlderRelease(t *testing.T) {
	for _, tc := range []struct {
		installed, catalogued string
		want                  bool
	}{
		{"0.10.4", "2.9.0", true},
		{"1.20.9", "1.21.2", true},
		{"1.21.0", "1.21.2", false},
		{"1.22.0", "1.21.2", false},
		{"3.0.0", "2.9.0", false},
		{"0.0.9", "0.0.15", true},
		{"0.0.15", "0.0.15", false},
		{"0.1.0", "0.0.15", false},
		{"0.11.2", "0.11.22", false},
	} {
		if got := olderRelease(semver.MustParse(tc.installed), semver.MustParse(tc.catalogued)); got != tc.want {
			t.Errorf("olderRelease(%s, %s) = %v, want %v", tc.installed, tc.catalogued, got, tc.want)
		}
	}
}

// TestForkRepositoryInstalled: a fork published under the project's own
// chart name from a repository of its own (volsync from
// perfectra1n.github.io) installs the fork's CRDs: the cluster is checked
// with the catalogue's channel of that fork, whose kopia mover the
// project's CRDs lack. The project's own repository keeps the project's
// release.
func TestForkRepositoryInstalled(t *testing.T) {
	source := testObject(t, "apps/volsync/source.yaml", `apiVersion: volsync.backube/v1alpha1
kind: ReplicationSource
metadata:
  name: data
  namespace: apps
spec:
  sourcePVC: data
  kopia:
    repository: data-kopia
`)
	release := testObject(t, "apps/volsync/helmrelease.yaml", `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: volsync
  namespace: storage
spec:
  interval: 1h
  chart:
    spec:
      chart: volsync
      version: 0.17.11
      sourceRef:
        kind: HelmRepository
        name: volsync
`)
	repository := func(url string) *model.Object {
		return testObject(t, "apps/volsync/helmrepository.yaml", `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: volsync
  namespace: storage
spec:
  interval: 1h
  url: `+url+`
`)
	}
	for url, wantKopia := range map[string]bool{
		"https://perfectra1n.github.io/volsync/charts/": true,
		"https://backube.github.io/helm-charts/":        false,
	} {
		c := &model.Cluster{Name: "prod", Path: "clusters/prod", Objects: []*model.Object{source, release, repository(url)}, HelmReleases: []*model.Object{release}}
		var unknown []finding.Finding
		for _, f := range NewChecker(Options{}, nil, nil).Check(context.Background(), c) {
			if f.Object == source.Ref && f.RuleID == RuleUnknownField {
				unknown = append(unknown, f)
			}
		}
		if got := len(unknown) == 0; got != wantKopia {
			t.Errorf("chart volsync from %s: kopia valid = %v, want %v (%v)", url, got, wantKopia, unknown)
		}
	}
}
