package xref_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/xref"
)

// rulesDir holds one folder per rule, each a small repository whose YAML
// says inline which findings it must give: "# want: RULE-ID" on the line
// of the finding, optionally followed by a quoted regular expression that
// the message or hint must match.
const rulesDir = "../../testdata/rules"

// A want is one expected finding.
type want struct {
	file    string
	line    int
	rule    string
	pattern *regexp.Regexp
}

var wantRE = regexp.MustCompile(`#\s*want:\s*(.*)$`)
var wantItemRE = regexp.MustCompile(`([a-z]+-[a-z0-9-]+)(?:\s+"([^"]*)")?`)

// readWants collects the expectations of every YAML file below dir.
func readWants(t *testing.T, dir string) []want {
	t.Helper()
	var wants []want
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		for i, line := range strings.Split(string(data), "\n") {
			m := wantRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			for _, item := range wantItemRE.FindAllStringSubmatch(m[1], -1) {
				w := want{file: filepath.ToSlash(rel), line: i + 1, rule: item[1]}
				if item[2] != "" {
					w.pattern = regexp.MustCompile(item[2])
				}
				wants = append(wants, w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return wants
}

// checkFolder runs the whole pipeline on a folder as one cluster.
func checkFolder(t *testing.T, dir string) []finding.Finding {
	t.Helper()
	res, err := check.Run(context.Background(), check.Config{Path: dir, Clusters: []flux.Entry{{Name: "t", Path: "."}}, Offline: true}, check.Deps{})
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	return res.Findings
}

func TestRules(t *testing.T) {
	folders, err := os.ReadDir(rulesDir)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, r := range xref.Rules() {
		known[r.ID] = true
	}
	tested := map[string]bool{}
	for _, folder := range folders {
		if !folder.IsDir() {
			continue
		}
		t.Run(folder.Name(), func(t *testing.T) {
			dir := filepath.Join(rulesDir, folder.Name())
			wants := readWants(t, dir)
			for _, w := range wants {
				tested[w.rule] = true
			}
			matchFindings(t, wants, checkFolder(t, dir))
		})
	}
	for id := range known {
		if !tested[id] {
			t.Errorf("rule %s has no scenario with a want", id)
		}
	}
}

// matchFindings fails on a want without its finding, and on a reference
// finding (or one of a rule the folder wants) that nothing wants.
func matchFindings(t *testing.T, wants []want, got []finding.Finding) {
	t.Helper()
	used := make([]bool, len(got))
	rules := map[string]bool{}
	for _, w := range wants {
		rules[w.rule] = true
		i := slices.IndexFunc(got, func(f finding.Finding) bool {
			return f.RuleID == w.rule && f.Pos.File == w.file && f.Pos.Line == w.line &&
				(w.pattern == nil || w.pattern.MatchString(f.Message+"\n"+f.Hint))
		})
		if i < 0 {
			t.Errorf("%s:%d: no %s finding%s", w.file, w.line, w.rule, patternText(w.pattern))
			continue
		}
		used[i] = true
	}
	for i, f := range got {
		if !used[i] && (strings.HasPrefix(f.RuleID, "ref-") || rules[f.RuleID] || strings.HasPrefix(f.RuleID, "render-")) {
			t.Errorf("unexpected finding %s (hint: %s)", f, f.Hint)
		}
	}
}

func patternText(re *regexp.Regexp) string {
	if re == nil {
		return ""
	}
	return fmt.Sprintf(" matching %q", re)
}
