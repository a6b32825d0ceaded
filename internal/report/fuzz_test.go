package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/termsafe"
)

// ownColours matches the colour codes the text printer writes itself.
var ownColours = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// fuzzReport is a report of one finding whose every text field comes from
// the fuzzer, as they come from the repository.
func fuzzReport(file, message, hint, name, rule, cluster string) *Report {
	cluster = "c" + cluster // "" is the repository, not a cluster
	return &Report{
		Clusters: []Cluster{{Name: cluster, Path: "clusters/" + cluster}},
		Findings: []finding.Finding{{
			RuleID: rule, Severity: finding.Error, Message: message, Hint: hint, Cluster: cluster,
			Pos:    finding.Pos{File: file, Line: 3, Col: 5},
			Object: finding.ObjectRef{APIVersion: "v1", Kind: "ConfigMap", Namespace: "default", Name: name},
			Chain:  []string{"Kustomization/flux-system/" + name},
		}},
	}
}

func addSeeds(f *testing.F) {
	f.Add("apps/a.yaml", "invalid value", "", "web", "schema-invalid", "dev")
	f.Add("apps/\x1b[2J.yaml", "x\n::error::forged", "h\r\n::add-mask::y", "n\u202e", "r\x9b", "c\x00")
	f.Add("\xff\xfe", "\u2066\u2069", "\x7f", "\x1b]0;t\x07", "", "")
}

// FuzzTextPrinter: text output of one finding holds no control character
// or bidirectional override but the printer's own line breaks and colour
// codes, so no repository text can rewrite a terminal, and it has exactly
// the lines the printer writes, so none can be a CI workflow command.
func FuzzTextPrinter(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, file, message, hint, name, rule, cluster string) {
		for _, p := range []Text{{}, {Color: true}, {Quiet: true}, {Quiet: true, Color: true}} {
			var buf bytes.Buffer
			if err := p.Print(&buf, fuzzReport(file, message, hint, name, rule, cluster)); err != nil {
				t.Fatal(err)
			}
			out := ownColours.ReplaceAllString(buf.String(), "")
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			want := 1 // quiet: the finding
			if !p.Quiet {
				want = 4 // cluster, file, finding, summary
				if hint != "" {
					want++
				}
			}
			if len(lines) != want {
				t.Fatalf("%+v: %d lines, want %d:\n%q", p, len(lines), want, out)
			}
			for _, line := range lines {
				if !termsafe.Clean(line) {
					t.Fatalf("%+v: a line holds a control character: %q", p, line)
				}
			}
		}
	})
}

// FuzzGitHubPrinter: github output of one finding is one line, a workflow
// command of the printer's own, with no control character or
// bidirectional override.
func FuzzGitHubPrinter(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, file, message, hint, name, rule, cluster string) {
		var buf bytes.Buffer
		if err := (GitHub{}).Print(&buf, fuzzReport(file, message, hint, name, rule, cluster)); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		line, rest, _ := strings.Cut(out, "\n")
		if rest != "" || !strings.HasPrefix(line, "::error ") {
			t.Fatalf("not one error annotation: %q", out)
		}
		if !termsafe.Clean(line) {
			t.Fatalf("the annotation holds a control character: %q", line)
		}
	})
}
