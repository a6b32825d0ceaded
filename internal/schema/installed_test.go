package schema

import (
	"testing"

	"github.com/Masterminds/semver/v3"
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
