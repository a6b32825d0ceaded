package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// formatSample is sample() with the rules SARIF describes and findings that
// test escaping and positions: a whole-file finding, one with no file, and
// one whose message and file hold the characters workflow commands escape.
func formatSample() *Report {
	r := sample()
	r.Rules = []finding.Rule{
		{ID: "flux-source-missing", Severity: finding.Error, Title: "A Kustomization's sourceRef names no source of the cluster",
			Why: "Flux cannot fetch anything.", Fix: "Create the source."},
		{ID: "yaml-syntax", Severity: finding.Error, Title: "Invalid YAML", Why: "Flux cannot parse the file.", Fix: "Fix the syntax.",
			Bad: "a: [", Good: "a: []"},
		{ID: "schema-kind-unknown", Severity: finding.Info, Title: "A kind with no schema", Fix: "Nothing to fix."},
		{ID: "policy-privileged", Severity: finding.Warning, Title: "A privileged container", Fix: "Drop privileged."},
	}
	r.Root = "/home/me/git ops"
	r.Findings = append(r.Findings,
		finding.Finding{RuleID: "render-kustomize-build", Severity: finding.Error,
			Message: "100% broken:\nline two, with a comma", Hint: "see a,b: c",
			Pos: finding.Pos{File: "apps/we,ird:name.yaml", Line: 3, Col: 7, EndLine: 3, EndCol: 12}, Cluster: "staging",
			Chain: []string{"Kustomization/flux-system/flux-system", "Kustomization/flux-system/apps"}},
		finding.Finding{RuleID: "yaml-not-object", Severity: finding.Warning, Message: "whole file", Pos: finding.Pos{File: "apps/notes.yaml"}, Cluster: "staging"},
		finding.Finding{RuleID: "internal-error", Severity: finding.Error, Message: "no position", Cluster: "gone"},
	)
	r.Findings = finding.Sort(r.Findings)
	return r
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (run go test -update if the change is intended)\ngot:\n%s\nwant:\n%s", golden, got, want)
	}
}

func TestFormatGoldens(t *testing.T) {
	tests := []struct {
		golden  string
		printer Printer
	}{
		{golden: "sarif.golden", printer: SARIF{ToolVersion: "1.2.3"}},
		{golden: "github.golden", printer: GitHub{}},
		{golden: "junit.golden", printer: JUnit{}},
		{golden: "json.golden", printer: JSON{}},
		{golden: "text-quiet.golden", printer: Text{Quiet: true}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.printer.Print(&buf, formatSample()); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.golden, buf.Bytes())
		})
	}
}

// TestSARIFSchema checks the SARIF output against the SARIF 2.1.0 object
// model of the go-sarif module (generated from the OASIS schema): the output
// must decode into it with no unknown field and no wrong type, and carry the
// properties the schema requires.
func TestSARIFSchema(t *testing.T) {
	tests := []struct {
		name   string
		report *Report
	}{
		{name: "sample", report: formatSample()},
		{name: "empty", report: &Report{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := (SARIF{ToolVersion: "dev"}).Print(&buf, tt.report); err != nil {
				t.Fatal(err)
			}
			if err := validateSARIF(buf.Bytes()); err != nil {
				t.Errorf("SARIF output does not validate: %v", err)
			}
		})
	}
	broken := []struct{ name, log string }{
		{name: "driver without a name", log: `{"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}`},
		{name: "unknown property", log: `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "colour": "red"}}}]}`},
		{name: "region line as text", log: `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {"region": {"startLine": "1"}}}]}]}]}`},
	}
	for _, b := range broken {
		t.Run("rejects "+b.name, func(t *testing.T) {
			if err := validateSARIF([]byte(b.log)); err == nil {
				t.Error("a broken log validates; the check proves nothing")
			}
		})
	}
}

func validateSARIF(data []byte) error {
	var log sarif.Report
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&log); err != nil {
		return err
	}
	if log.Version != "2.1.0" || len(log.Runs) == 0 {
		return fmt.Errorf("version %q with %d runs", log.Version, len(log.Runs))
	}
	for i, run := range log.Runs {
		if run.Tool == nil || run.Tool.Driver == nil || run.Tool.Driver.Name == nil || *run.Tool.Driver.Name == "" {
			return fmt.Errorf("runs[%d].tool.driver.name is required", i)
		}
		for j, res := range run.Results {
			if res.Message == nil || (res.Message.Text == nil && res.Message.ID == nil) {
				return fmt.Errorf("runs[%d].results[%d].message needs text or id", i, j)
			}
		}
	}
	return nil
}

func TestSARIFContent(t *testing.T) {
	var buf bytes.Buffer
	r := formatSample()
	if err := (SARIF{}).Print(&buf, r); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string `json:"id"`
						Help struct {
							Text string `json:"text"`
						} `json:"help"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID              string            `json:"ruleId"`
				RuleIndex           int               `json:"ruleIndex"`
				Level               string            `json:"level"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Locations           []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region *struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Results) != len(r.Findings) {
		t.Fatalf("%d results, want %d", len(run.Results), len(r.Findings))
	}
	levels := map[finding.Severity]string{finding.Error: "error", finding.Warning: "warning", finding.Info: "note"}
	for i, res := range run.Results {
		f := r.Findings[i]
		if rule := run.Tool.Driver.Rules[res.RuleIndex]; rule.ID != f.RuleID {
			t.Errorf("result %d: ruleIndex %d names %s, want %s", i, res.RuleIndex, rule.ID, f.RuleID)
		}
		if res.Level != levels[f.Severity] {
			t.Errorf("result %d: level %s, want %s", i, res.Level, levels[f.Severity])
		}
		if got := res.PartialFingerprints[sarifFingerprint]; got != f.Fingerprint() {
			t.Errorf("result %d: fingerprint %s, want %s", i, got, f.Fingerprint())
		}
		switch {
		case f.Pos.File == "":
			if len(res.Locations) != 0 {
				t.Errorf("result %d without a file has locations", i)
			}
		case len(res.Locations) != 1 || res.Locations[0].PhysicalLocation.ArtifactLocation.URI != f.Pos.File:
			t.Errorf("result %d: locations %+v, want uri %s", i, res.Locations, f.Pos.File)
		case f.Pos.Line == 0:
			if res.Locations[0].PhysicalLocation.Region != nil {
				t.Errorf("result %d: whole-file finding has a region", i)
			}
		default:
			reg := res.Locations[0].PhysicalLocation.Region
			if reg == nil || reg.StartLine != f.Pos.Line || reg.StartColumn != f.Pos.Col {
				t.Errorf("result %d: region %+v, want %d:%d", i, reg, f.Pos.Line, f.Pos.Col)
			}
		}
	}
	for _, rule := range run.Tool.Driver.Rules {
		if rule.ID == "yaml-syntax" && !strings.Contains(rule.Help.Text, "Fix the syntax.") {
			t.Errorf("yaml-syntax help %q lacks the fix", rule.Help.Text)
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	tests := []struct {
		name string
		f    finding.Finding
		want string
	}{
		{
			name: "plain",
			f:    finding.Finding{RuleID: "schema-invalid", Severity: finding.Error, Message: "bad", Pos: finding.Pos{File: "a.yaml", Line: 2, Col: 3}},
			want: "::error file=a.yaml,line=2,col=3,title=schema-invalid::bad\n",
		},
		{
			name: "data escapes percent and line ends",
			f:    finding.Finding{RuleID: "r", Severity: finding.Warning, Message: "50%\r\nnext: a,b", Pos: finding.Pos{File: "a.yaml", Line: 1}},
			want: "::warning file=a.yaml,line=1,title=r::50%25%0D%0Anext: a,b\n",
		},
		{
			name: "properties escape colon and comma",
			f:    finding.Finding{RuleID: "r", Severity: finding.Info, Message: "m", Pos: finding.Pos{File: "a:b,c%.yaml", Line: 1, Col: 1, EndLine: 2, EndCol: 4}},
			want: "::notice file=a%3Ab%2Cc%25.yaml,line=1,col=1,endLine=2,endColumn=4,title=r::m\n",
		},
		{
			name: "no file",
			f:    finding.Finding{RuleID: "internal-error", Severity: finding.Error, Message: "m"},
			want: "::error title=internal-error::m\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := (GitHub{}).Print(&buf, &Report{Findings: []finding.Finding{tt.f}}); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want {
				t.Errorf("got %q, want %q", buf.String(), tt.want)
			}
		})
	}
}

func TestGitHubStepSummary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "summary.md")
	if err := os.WriteFile(path, []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout bytes.Buffer
	if err := (GitHub{StepSummary: path}).Print(&stdout, formatSample()); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(got, []byte("earlier step\n## fluxlint\n")) {
		t.Errorf("summary was not appended after the earlier step's:\n%s", got)
	}
	checkGolden(t, "github-summary.golden", bytes.TrimPrefix(got, []byte("earlier step\n")))
	if strings.Contains(stdout.String(), "## fluxlint") {
		t.Error("the job summary went to stdout")
	}
	t.Run("unwritable file is an error", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "missing", "summary.md")
		if err := (GitHub{StepSummary: bad}).Print(&bytes.Buffer{}, formatSample()); err == nil {
			t.Error("no error for a summary file in a missing folder")
		}
	})
}

func TestJUnitStructure(t *testing.T) {
	var buf bytes.Buffer
	if err := (JUnit{}).Print(&buf, formatSample()); err != nil {
		t.Fatal(err)
	}
	var out junitSuites
	if err := xml.Unmarshal(buf.Bytes(), &out); err != nil {
		t.Fatalf("output is not XML: %v\n%s", err, buf.String())
	}
	names := []string{}
	for _, s := range out.Suites {
		names = append(names, s.Name)
	}
	if got, want := strings.Join(names, ","), "repository,prod,staging,empty,gone"; got != want {
		t.Errorf("suites %s, want %s", got, want)
	}
	errs := 0
	for _, f := range formatSample().Findings {
		if f.Severity == finding.Error {
			errs++
		}
	}
	if out.Failures != errs {
		t.Errorf("failures = %d, want %d (one per error)", out.Failures, errs)
	}
	// 8 findings, plus one passing case for the cluster without findings.
	if out.Tests != 9 {
		t.Errorf("tests = %d, want 9", out.Tests)
	}
}
