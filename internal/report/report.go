package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// A Cluster summarises one rendered cluster.
type Cluster struct {
	Name           string `json:"name"`
	Path           string `json:"path"`
	Kustomizations int    `json:"kustomizations"`
	HelmReleases   int    `json:"helmReleases"`
	// Rendered counts the HelmReleases whose chart rendered.
	Rendered int `json:"helmReleasesRendered"`
	Objects  int `json:"objects"`
}

// A Report is everything a printer needs.
type Report struct {
	Clusters []Cluster
	Findings []finding.Finding
	// Rules is the rule catalogue, which SARIF output describes.
	Rules []finding.Rule
	// Root is the absolute folder that the findings' files are relative
	// to (the top of the checked folder's Git work tree, else the checked
	// folder); "" when unknown. SARIF output gives it as %SRCROOT%.
	Root string
	// Shard is the part of the clusters checked, INDEX/TOTAL (check
	// --shard); "" for all of them. The text summary names it, and SARIF
	// output puts it in the run's category.
	Shard string
}

// A Summary counts clusters, renders, objects and findings by severity.
type Summary struct {
	Clusters       int `json:"clusters"`
	Kustomizations int `json:"kustomizations"`
	HelmReleases   int `json:"helmReleases"`
	Objects        int `json:"objects"`
	Errors         int `json:"errors"`
	Warnings       int `json:"warnings"`
	Infos          int `json:"infos"`
}

// Summary counts the report.
func (r *Report) Summary() Summary {
	s := Summary{Clusters: len(r.Clusters)}
	for _, c := range r.Clusters {
		s.Kustomizations += c.Kustomizations
		s.HelmReleases += c.HelmReleases
		s.Objects += c.Objects
	}
	for _, f := range r.Findings {
		switch f.Severity {
		case finding.Error:
			s.Errors++
		case finding.Warning:
			s.Warnings++
		default:
			s.Infos++
		}
	}
	return s
}

// A Printer writes a report in one format.
type Printer interface {
	Print(w io.Writer, r *Report) error
}

// Options tune the printers.
type Options struct {
	// Color turns on ANSI colours in text output.
	Color bool
	// Quiet leaves the summary out of text output: findings only.
	Quiet bool
	// ToolVersion is the fluxlint version that SARIF output names.
	ToolVersion string
	// GitHubStepSummary is the file that github output appends a Markdown
	// job summary to (GITHUB_STEP_SUMMARY in GitHub Actions); "" for none.
	GitHubStepSummary string
}

// formats maps each format name to its printer.
var formats = map[string]func(Options) Printer{
	"github": func(o Options) Printer { return GitHub{StepSummary: o.GitHubStepSummary} },
	"json":   func(Options) Printer { return JSON{} },
	"junit":  func(Options) Printer { return JUnit{} },
	"sarif":  func(o Options) Printer { return SARIF{ToolVersion: o.ToolVersion} },
	"text":   func(o Options) Printer { return Text{Color: o.Color, Quiet: o.Quiet} },
}

// Formats lists the format names, sorted.
func Formats() []string {
	names := make([]string, 0, len(formats))
	for n := range formats {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// New returns the printer of a format, or an error naming the known ones.
func New(format string, opts Options) (Printer, error) {
	mk, ok := formats[format]
	if !ok {
		return nil, fmt.Errorf("unknown format %q (want one of: %s)", format, strings.Join(Formats(), ", "))
	}
	return mk(opts), nil
}
