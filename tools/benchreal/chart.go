package main

import (
	"embed"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/Masterminds/semver/v3"
	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
)

// templates holds the stand-in chart's templates: a Deployment per
// controller (app-template's controllers.*.containers, else the chart's
// image), a Service and a ConfigMap of the values, all named after the
// release.
//
//go:embed chart/*
var templates embed.FS

const defaultValues = `replicaCount: 1
image:
  repository: ""
  tag: ""
service:
  type: ClusterIP
  port: 80
resources: {}
podAnnotations: {}
nodeSelector: {}
`

// standIn builds the stand-in chart of a name and version.
func standIn(name, version string) (*chart.Chart, error) {
	vals, err := common.ReadValues([]byte(defaultValues))
	if err != nil {
		return nil, err
	}
	ch := &chart.Chart{
		Metadata: &chart.Metadata{APIVersion: chart.APIVersionV2, Name: name, Version: version, AppVersion: version, Type: "application",
			Description: "A stand-in of " + name + " for fluxlint's real-repository benchmark."},
		Values: vals,
		Raw:    []*common.File{{Name: "values.yaml", Data: []byte(defaultValues)}},
	}
	entries, err := templates.ReadDir("chart")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		data, err := templates.ReadFile("chart/" + e.Name())
		if err != nil {
			return nil, err
		}
		ch.Templates = append(ch.Templates, &common.File{Name: "templates/" + e.Name(), Data: data})
	}
	return ch, ch.Validate()
}

// packageChart returns the .tgz archive of the stand-in chart.
func packageChart(name, version, tmp string) ([]byte, error) {
	ch, err := standIn(name, version)
	if err != nil {
		return nil, fmt.Errorf("chart %s %s: %w", name, version, err)
	}
	path, err := chartutil.Save(ch, tmp)
	if err != nil {
		return nil, fmt.Errorf("package chart %s %s: %w", name, version, err)
	}
	defer os.Remove(path)
	return os.ReadFile(path)
}

var versionLike = regexp.MustCompile(`v?\d+(\.(\d+|[xX*]))?(\.(\d+|[xX*]))?(-[0-9A-Za-z.-]+)?`)

// pickVersion returns a version for a HelmRelease's chart version or an
// OCIRepository's semver: the version itself when it is one, else the
// lowest-looking version the constraint accepts ("" and "*" give 1.0.0).
func pickVersion(constraint string) (string, error) {
	constraint = strings.TrimSpace(constraint)
	if constraint == "" || constraint == "*" {
		return "1.0.0", nil
	}
	if _, err := semver.StrictNewVersion(strings.TrimPrefix(constraint, "v")); err == nil {
		return constraint, nil
	}
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return "", fmt.Errorf("version %q: %w", constraint, err)
	}
	var candidates []string
	if m := versionLike.FindString(constraint); m != "" {
		base := strings.NewReplacer("x", "0", "X", "0", "*", "0").Replace(strings.TrimPrefix(m, "v"))
		for strings.Count(strings.SplitN(base, "-", 2)[0], ".") < 2 {
			head, tail, _ := strings.Cut(base, "-")
			base = head + ".0"
			if tail != "" {
				base += "-" + tail
			}
		}
		candidates = append(candidates, base)
		if v, err := semver.NewVersion(base); err == nil {
			candidates = append(candidates, v.IncPatch().String(), v.IncMinor().String(), v.IncMajor().String())
		}
	}
	candidates = append(candidates, "1.0.0", "0.1.0", "0.0.1", "99.0.0")
	for _, s := range candidates {
		if v, err := semver.NewVersion(s); err == nil && c.Check(v) {
			return v.Original(), nil
		}
	}
	return "", fmt.Errorf("version %q: no stand-in version found", constraint)
}
