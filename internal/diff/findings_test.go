package diff

import (
	"bytes"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
)

func fnd(rule, file string, line int, msg string) finding.Finding {
	return finding.Finding{RuleID: rule, Severity: finding.Error, Message: msg, Cluster: "dev",
		Pos: finding.Pos{File: file, Line: line, Col: 3}}
}

// linesOf returns a Line function over files given as text.
func linesOf(files map[string]string) func(string, int) string {
	return func(file string, line int) string {
		lines := strings.Split(files[file], "\n")
		if line < 1 || line > len(lines) {
			return ""
		}
		return lines[line-1]
	}
}

func TestCompareFindings(t *testing.T) {
	tests := []struct {
		name           string
		base, head     []finding.Finding
		baseF, headF   map[string]string
		added, removed []string
	}{
		{
			name:  "a line added above a finding keeps it",
			base:  []finding.Finding{fnd("schema-invalid", "a.yaml", 4, "replicas: want integer")},
			head:  []finding.Finding{fnd("schema-invalid", "a.yaml", 9, "replicas: want integer")},
			added: nil, removed: nil,
		},
		{
			name:    "one fixed, one new",
			base:    []finding.Finding{fnd("schema-invalid", "a.yaml", 4, "replicas: want integer"), fnd("ref-missing", "b.yaml", 2, "no Secret x")},
			head:    []finding.Finding{fnd("schema-invalid", "a.yaml", 4, "replicas: want integer"), fnd("ref-missing", "b.yaml", 2, "no Secret y")},
			added:   []string{"b.yaml:2:3: error: no Secret y [ref-missing]"},
			removed: []string{"b.yaml:2:3: error: no Secret x [ref-missing]"},
		},
		{
			name:  "one more of a repeated finding is one added, on the line that is new",
			base:  []finding.Finding{fnd("policy-image-tag", "d.yaml", 3, "latest tag"), fnd("policy-image-tag", "d.yaml", 7, "latest tag")},
			head:  []finding.Finding{fnd("policy-image-tag", "d.yaml", 3, "latest tag"), fnd("policy-image-tag", "d.yaml", 5, "latest tag"), fnd("policy-image-tag", "d.yaml", 9, "latest tag")},
			baseF: map[string]string{"d.yaml": "\n\nimage: a:latest\n\n\n\nimage: b:latest"},
			headF: map[string]string{"d.yaml": "\n\nimage: a:latest\n\nimage: c:latest\n\n\n\nimage: b:latest"},
			added: []string{"d.yaml:5:3: error: latest tag [policy-image-tag]"},
		},
		{
			name:    "another cluster is another finding",
			base:    []finding.Finding{fnd("r", "a.yaml", 1, "m")},
			head:    []finding.Finding{func() finding.Finding { f := fnd("r", "a.yaml", 1, "m"); f.Cluster = "prod"; return f }()},
			added:   []string{"a.yaml:1:3: error: m [r]"},
			removed: []string{"a.yaml:1:3: error: m [r]"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, h := Findings{Findings: tt.base}, Findings{Findings: tt.head}
			if tt.baseF != nil {
				b.Line, h.Line = linesOf(tt.baseF), linesOf(tt.headF)
			}
			got := CompareFindings(b, h)
			str := func(fs []finding.Finding) []string {
				var out []string
				for _, f := range fs {
					out = append(out, f.String())
				}
				return out
			}
			if a := strings.Join(str(got.Added), "\n"); a != strings.Join(tt.added, "\n") {
				t.Errorf("added:\n%s\nwant:\n%s", a, strings.Join(tt.added, "\n"))
			}
			if r := strings.Join(str(got.Removed), "\n"); r != strings.Join(tt.removed, "\n") {
				t.Errorf("removed:\n%s\nwant:\n%s", r, strings.Join(tt.removed, "\n"))
			}
		})
	}
}

func TestMarkdownFindingsTable(t *testing.T) {
	evil := fnd("r", "a.yaml", 1, "a | b <script>\nnext")
	r := &Result{Base: "main", Head: "HEAD", Findings: &FindingChanges{Added: []finding.Finding{evil}}}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "| added | **error** | `a.yaml:1:3` | a \\| b &lt;script&gt; next | `r` | `dev` |\n") {
		t.Errorf("markdown:\n%s", md.String())
	}
	r.Findings = &FindingChanges{}
	md.Reset()
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(md.String(), "### fluxlint: findings, `main` → `HEAD`\n\nNo finding is added or removed.\n\n### fluxlint: rendered objects") {
		t.Errorf("markdown:\n%s", md.String())
	}
}
