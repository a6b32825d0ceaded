package check

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/source"
)

const suppressYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web # fluxlint:ignore schema-invalid name is checked elsewhere
spec:
  # fluxlint:ignore schema-unknown-field,schema-required kept for the v2 chart
  # another comment
  replica: 2
  selector: {} #fluxlint:ignore schema-invalid
  template: {} # fluxlint:ignore yaml-bogus-rule because
  paused: true # fluxlint:ignore schema-api-version never matches
# fluxlint:ignore
`

func finds(lines ...int) []finding.Finding {
	var fs []finding.Finding
	rules := map[int]string{4: "schema-invalid", 8: "schema-unknown-field", 9: "schema-invalid", 10: "schema-invalid", 5: "schema-invalid"}
	for _, l := range lines {
		fs = append(fs, finding.Finding{RuleID: rules[l], Severity: finding.Error, Message: "m", Pos: finding.Pos{File: "d.yaml", Line: l, Col: 3}})
	}
	return fs
}

type got struct {
	rule string
	line int
}

func summarise(fs []finding.Finding) []got {
	var out []got
	for _, f := range finding.Sort(fs) {
		out = append(out, got{rule: f.RuleID, line: f.Pos.Line})
	}
	return out
}

func TestApplySuppressions(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "d.yaml"), []byte(suppressYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	repo, err := source.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		files    []string
		findings []finding.Finding
		want     []got
	}{
		{
			name:     "trailing comment and comment above suppress",
			findings: finds(4, 8),
			// Lines 9, 10 and 12 hold malformed suppressions in every case.
			want: []got{{RuleSuppressionInvalid, 9}, {RuleSuppressionInvalid, 10}, {RuleSuppressionUnused, 11}, {RuleSuppressionInvalid, 12}},
		},
		{
			name:     "malformed suppressions suppress nothing",
			findings: finds(9, 10),
			want: []got{{RuleSuppressionUnused, 4}, {RuleSuppressionUnused, 6}, {"schema-invalid", 9}, {RuleSuppressionInvalid, 9},
				{"schema-invalid", 10}, {RuleSuppressionInvalid, 10}, {RuleSuppressionUnused, 11}, {RuleSuppressionInvalid, 12}},
		},
		{
			name:     "a comment above does not cover the line after next",
			findings: []finding.Finding{{RuleID: "schema-invalid", Message: "m", Pos: finding.Pos{File: "d.yaml", Line: 5}}},
			want: []got{{RuleSuppressionUnused, 4}, {"schema-invalid", 5}, {RuleSuppressionUnused, 6},
				{RuleSuppressionInvalid, 9}, {RuleSuppressionInvalid, 10}, {RuleSuppressionUnused, 11}, {RuleSuppressionInvalid, 12}},
		},
		{
			name:  "files read without findings are scanned too",
			files: []string{"d.yaml"},
			want: []got{{RuleSuppressionUnused, 4}, {RuleSuppressionUnused, 6}, {RuleSuppressionInvalid, 9},
				{RuleSuppressionInvalid, 10}, {RuleSuppressionUnused, 11}, {RuleSuppressionInvalid, 12}},
		},
		{
			name: "no files, no suppressions",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := summarise(applySuppressions(repo, tt.files, tt.findings, cat, true))
			if !slices.Equal(out, tt.want) {
				t.Errorf("got  %v\nwant %v", out, tt.want)
			}
		})
	}
}

func TestParseSuppressionMessages(t *testing.T) {
	cat, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text      string
		wantRules []string
		wantErr   string
	}{
		{text: " schema-invalid reason here", wantRules: []string{"schema-invalid"}},
		{text: " schema-invalid,yaml-syntax two rules", wantRules: []string{"schema-invalid", "yaml-syntax"}},
		{text: "", wantErr: "no rule ID"},
		{text: " schema-invalid", wantErr: "reason is required"},
		{text: " Schema_Invalid why", wantErr: "is not a rule ID"},
		{text: " no-such-rule why", wantErr: `no rule "no-such-rule"`},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			rules, problem := parseSuppression(tt.text, cat)
			if tt.wantErr != "" {
				if !strings.Contains(problem, tt.wantErr) || rules != nil {
					t.Errorf("parseSuppression(%q) = %v, %q; want a problem with %q", tt.text, rules, problem, tt.wantErr)
				}
				return
			}
			if problem != "" || !slices.Equal(rules, tt.wantRules) {
				t.Errorf("parseSuppression(%q) = %v, %q; want %v", tt.text, rules, problem, tt.wantRules)
			}
		})
	}
}

func TestSuppressionPositionAndNotInString(t *testing.T) {
	f := source.Parse("f.yaml", []byte("a: \"text#fluxlint:ignore yaml-syntax x\"\nb: 1   # fluxlint:ignore yaml-syntax why\n"))
	cat, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	sups, invalid := parseSuppressions(f, cat)
	if len(invalid) != 0 || len(sups) != 1 {
		t.Fatalf("got %d suppressions, %d invalid; want 1, 0", len(sups), len(invalid))
	}
	if want := (finding.Pos{File: "f.yaml", Line: 2, Col: 8}); sups[0].pos != want {
		t.Errorf("pos = %v, want %v", sups[0].pos, want)
	}
}

func TestApplySettings(t *testing.T) {
	warn := finding.Warning
	fs := []finding.Finding{
		{RuleID: "a", Severity: finding.Error},
		{RuleID: "b", Severity: finding.Error},
		{RuleID: "c", Severity: finding.Info},
	}
	out := applySettings(slices.Clone(fs), map[string]RuleSetting{"a": {Severity: &warn}, "b": {Disabled: true}})
	want := []finding.Finding{{RuleID: "a", Severity: finding.Warning}, {RuleID: "c", Severity: finding.Info}}
	if !slices.EqualFunc(out, want, func(x, y finding.Finding) bool { return x.RuleID == y.RuleID && x.Severity == y.Severity }) {
		t.Errorf("applySettings = %v, want %v", out, want)
	}
}
