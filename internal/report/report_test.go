package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

func sample() *Report {
	return &Report{
		Clusters: []Cluster{
			{Name: "prod", Path: "clusters/prod", Kustomizations: 3, HelmReleases: 2, Objects: 40},
			{Name: "staging", Path: "clusters/staging", Kustomizations: 2, Objects: 25},
			{Name: "empty", Path: "clusters/empty"},
		},
		Findings: []finding.Finding{
			{RuleID: "yaml-syntax", Severity: finding.Error, Message: "invalid YAML: did not find expected node content", Pos: finding.Pos{File: "apps/broken.yaml", Line: 4, Col: 1}},
			{RuleID: "flux-source-missing", Severity: finding.Error, Message: "sourceRef names GitRepository flux-system/monorepo, which this cluster does not define",
				Pos: finding.Pos{File: "clusters/prod/apps.yaml", Line: 12, Col: 5}, Cluster: "prod",
				Object: finding.ObjectRef{APIVersion: "kustomize.toolkit.fluxcd.io/v1", Kind: "Kustomization", Namespace: "flux-system", Name: "apps"}},
			{RuleID: "flux-source-unavailable", Severity: finding.Warning, Message: "cannot be read offline", Hint: "map it in .fluxlint.yaml",
				Pos: finding.Pos{File: "clusters/prod/apps.yaml", Line: 20, Col: 3}, Cluster: "prod",
				Object: finding.ObjectRef{Kind: "HelmRepository", Namespace: "flux-system", Name: "charts"}},
			{RuleID: "flux-duplicate-object", Severity: finding.Error, Message: "ConfigMap/apps/x is also rendered from apps/a.yaml:1:1",
				Pos: finding.Pos{File: "infra/b.yaml", Line: 2, Col: 1}, Cluster: "prod",
				Object: finding.ObjectRef{Kind: "ConfigMap", Namespace: "apps", Name: "x"}},
			{RuleID: "schema-info", Severity: finding.Info, Message: "deprecated field", Pos: finding.Pos{File: "apps/staging/patch.yaml", Line: 7, Col: 9}, Cluster: "staging"},
		},
	}
}

func TestSummary(t *testing.T) {
	want := Summary{Clusters: 3, Kustomizations: 5, HelmReleases: 2, Objects: 65, Errors: 3, Warnings: 1, Infos: 1}
	if got := sample().Summary(); got != want {
		t.Errorf("Summary() = %+v, want %+v", got, want)
	}
	if got := (&Report{}).Summary(); got != (Summary{}) {
		t.Errorf("empty Summary() = %+v", got)
	}
}

func TestNew(t *testing.T) {
	tests := []struct {
		format  string
		want    Printer
		wantErr bool
	}{
		{format: "json", want: JSON{}},
		{format: "text", want: Text{Color: true}},
		{format: "xml", wantErr: true},
		{format: "", wantErr: true},
		{format: "JSON", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			p, err := New(tt.format, Options{Color: true})
			if tt.wantErr {
				if err == nil {
					t.Fatalf("New(%q) = %v, want an error", tt.format, p)
				}
				for _, name := range []string{"json", "text", `"` + tt.format + `"`} {
					if !strings.Contains(err.Error(), name) {
						t.Errorf("error %q does not name %s", err, name)
					}
				}
				return
			}
			if err != nil || p != tt.want {
				t.Errorf("New(%q) = %#v, %v; want %#v", tt.format, p, err, tt.want)
			}
		})
	}
	if got := strings.Join(Formats(), ","); got != "github,json,junit,sarif,text" {
		t.Errorf("Formats() = %s, want github,json,junit,sarif,text", got)
	}
}

type jsonOut struct {
	Version  int              `json:"version"`
	Summary  map[string]int   `json:"summary"`
	Clusters []Cluster        `json:"clusters"`
	Findings []map[string]any `json:"findings"`
}

func TestJSON(t *testing.T) {
	tests := []struct {
		name         string
		report       *Report
		wantSummary  map[string]int
		wantFindings int
	}{
		{
			name:         "sample",
			report:       sample(),
			wantSummary:  map[string]int{"clusters": 3, "kustomizations": 5, "helmReleases": 2, "objects": 65, "errors": 3, "warnings": 1, "infos": 1},
			wantFindings: 5,
		},
		{
			name:         "empty",
			report:       &Report{},
			wantSummary:  map[string]int{"clusters": 0, "kustomizations": 0, "helmReleases": 0, "objects": 0, "errors": 0, "warnings": 0, "infos": 0},
			wantFindings: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := (JSON{}).Print(&buf, tt.report); err != nil {
				t.Fatal(err)
			}
			if !json.Valid(buf.Bytes()) {
				t.Fatalf("output is not valid JSON:\n%s", buf.String())
			}
			var out jsonOut
			dec := json.NewDecoder(bytes.NewReader(buf.Bytes()))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&out); err != nil {
				t.Fatal(err)
			}
			if out.Version != 1 {
				t.Errorf("version = %d, want 1", out.Version)
			}
			if len(out.Summary) != len(tt.wantSummary) {
				t.Errorf("summary = %v, want %v", out.Summary, tt.wantSummary)
			}
			for k, v := range tt.wantSummary {
				if out.Summary[k] != v {
					t.Errorf("summary.%s = %d, want %d", k, out.Summary[k], v)
				}
			}
			if len(out.Findings) != tt.wantFindings {
				t.Fatalf("got %d findings, want %d", len(out.Findings), tt.wantFindings)
			}
			for i, f := range out.Findings {
				want := tt.report.Findings[i]
				if f["fingerprint"] != want.Fingerprint() {
					t.Errorf("finding %d fingerprint = %v, want %s", i, f["fingerprint"], want.Fingerprint())
				}
				if f["rule"] != want.RuleID || f["severity"] != want.Severity.String() {
					t.Errorf("finding %d = %v", i, f)
				}
				p, _ := f["position"].(map[string]any)
				if p["file"] != want.Pos.File || p["line"] != float64(want.Pos.Line) || p["column"] != float64(want.Pos.Col) {
					t.Errorf("finding %d position = %v, want %v", i, p, want.Pos)
				}
			}
			// Empty lists are [] and not null, so that consumers can iterate.
			s := buf.String()
			if strings.Contains(s, "null") {
				t.Errorf("output has null:\n%s", s)
			}
			if tt.wantFindings == 0 && (!strings.Contains(s, `"findings": []`) || !strings.Contains(s, `"clusters": []`)) {
				t.Errorf("empty report lacks empty lists:\n%s", s)
			}
		})
	}
}

func TestJSONFindingFields(t *testing.T) {
	var buf bytes.Buffer
	if err := (JSON{}).Print(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Findings []struct {
			Rule     string             `json:"rule"`
			Hint     string             `json:"hint"`
			Cluster  string             `json:"cluster"`
			Object   *finding.ObjectRef `json:"object"`
			Severity finding.Severity   `json:"severity"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if f := out.Findings[0]; f.Object != nil || f.Cluster != "" {
		t.Errorf("repository finding has object %v, cluster %q; want none", f.Object, f.Cluster)
	}
	if f := out.Findings[1]; f.Object == nil || f.Object.Name != "apps" || f.Cluster != "prod" || f.Severity != finding.Error {
		t.Errorf("cluster finding = %+v", f)
	}
	if f := out.Findings[2]; f.Hint != "map it in .fluxlint.yaml" || f.Severity != finding.Warning {
		t.Errorf("finding with hint = %+v", f)
	}
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

func TestTextGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := (Text{}).Print(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "text.golden")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got := buf.String(); got != string(want) {
		t.Errorf("text output differs from %s (run go test -update if the change is intended)\ngot:\n%s\nwant:\n%s", golden, got, want)
	}
}

func TestTextStructure(t *testing.T) {
	var buf bytes.Buffer
	if err := (Text{}).Print(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if ansi.MatchString(out) {
		t.Errorf("output without colour has ANSI codes:\n%q", out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	// Headings appear in order: repository, then each cluster as listed.
	order := []string{"repository", "cluster prod (clusters/prod)", "cluster staging", "cluster empty"}
	at := -1
	for _, h := range order {
		i := indexPrefix(lines, h)
		if i <= at {
			t.Errorf("heading %q at line %d, want after line %d", h, i, at)
		}
		at = i
	}
	// Each file is named once per cluster, even with several findings.
	if n := strings.Count(out, "  clusters/prod/apps.yaml\n"); n != 1 {
		t.Errorf("clusters/prod/apps.yaml heading printed %d times, want 1", n)
	}
	for _, want := range []string{
		"3 Kustomizations, 40 objects, 2 HelmReleases (0 rendered)",
		"Kustomization/flux-system/apps: sourceRef names",
		"hint: map it in .fluxlint.yaml",
		"  no findings",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The object is not repeated when the message names it already.
	if strings.Contains(out, "ConfigMap/apps/x: ConfigMap/apps/x") {
		t.Errorf("object named twice:\n%s", out)
	}
	if last, want := lines[len(lines)-1], "3 clusters, 5 Kustomizations, 65 objects: 3 errors, 1 warning, 1 info"; last != want {
		t.Errorf("summary line = %q, want %q", last, want)
	}
}

func indexPrefix(lines []string, prefix string) int {
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			return i
		}
	}
	return -1
}

func TestTextColor(t *testing.T) {
	tests := []struct {
		name  string
		color bool
	}{
		{name: "plain", color: false},
		{name: "colour", color: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := (Text{Color: tt.color}).Print(&buf, sample()); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			if got := ansi.MatchString(out); got != tt.color {
				t.Errorf("ANSI codes present = %v, want %v", got, tt.color)
			}
			if tt.color {
				for _, code := range []string{ansiRed, ansiYellow, ansiBlue, ansiBold, ansiReset} {
					if !strings.Contains(out, code) {
						t.Errorf("coloured output lacks %q", code)
					}
				}
				var plain bytes.Buffer
				if err := (Text{}).Print(&plain, sample()); err != nil {
					t.Fatal(err)
				}
				if stripped := ansi.ReplaceAllString(out, ""); stripped != plain.String() {
					t.Errorf("coloured output without its codes differs from plain output:\n%s\n---\n%s", stripped, plain.String())
				}
			}
		})
	}
}

func TestTextEmpty(t *testing.T) {
	tests := []struct {
		name   string
		report *Report
		want   string
	}{
		{name: "nothing", report: &Report{}, want: "0 clusters, 0 Kustomizations, 0 objects: 0 errors, 0 warnings, 0 info\n"},
		{
			name:   "one clean cluster",
			report: &Report{Clusters: []Cluster{{Name: "a", Path: "clusters/a", Kustomizations: 1, Objects: 1}}},
			want:   "cluster a (clusters/a): 1 Kustomizations, 1 objects\n  no findings\n1 clusters, 1 Kustomizations, 1 objects: 0 errors, 0 warnings, 0 info\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := (Text{}).Print(&buf, tt.report); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want {
				t.Errorf("output = %q, want %q", buf.String(), tt.want)
			}
		})
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestPrintWriteError(t *testing.T) {
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			p, err := New(format, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Print(failWriter{}, sample()); err == nil {
				t.Error("Print to a failing writer returned no error")
			}
		})
	}
}
