package cli

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
	"github.com/fluxlint/fluxlint/internal/model"
)

// rulesDir holds a folder for every rule of the catalogue, named after
// it, and a few more cases: each a small repository whose YAML says inline
// which findings it must give. "# want: RULE-ID" on the line of a finding,
// optionally followed by a quoted regular expression that the message or
// hint must match, expects a finding there; "# want-cluster: RULE-ID" on
// any line expects a finding about the whole cluster (at its entry folder,
// with no line). The expectations of a line end at the next " #", where a
// suppression comment may follow.
const rulesDir = "../../testdata/rules"

// A want is one expected finding: at a line of a file, or about the
// cluster.
type want struct {
	file    string
	line    int
	cluster bool
	rule    string
	pattern *regexp.Regexp
}

var wantRE = regexp.MustCompile(`#\s*want(-cluster)?:\s*(.*)$`)
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
			items, _, _ := strings.Cut(m[2], " #")
			for _, item := range wantItemRE.FindAllStringSubmatch(items, -1) {
				w := want{file: filepath.ToSlash(rel), line: i + 1, rule: item[1]}
				if m[1] != "" {
					w.file, w.line, w.cluster = "", 0, true
				}
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

// faults are the checkers that the case of a rule adds to the run: a
// repository cannot make fluxlint crash, so internal-error's case runs with
// a checker that does.
var faults = map[string][]check.Checker{"internal-error": {crashingChecker{}}}

// crashingChecker is a checker with a bug.
type crashingChecker struct{}

func (crashingChecker) Check(context.Context, *model.Cluster) []finding.Finding {
	panic("index out of range [3] with length 3")
}

// checkFolder runs the whole pipeline on a folder as fluxlint check does,
// with its .fluxlint.yaml, offline: as one cluster at the folder unless
// the configuration names clusters.
func checkFolder(t *testing.T, dir string) []finding.Finding {
	t.Helper()
	f := checkFlags{offline: true}
	opts, cfg, err := f.options(dir)
	if err != nil {
		t.Fatalf("configuration: %v", err)
	}
	if len(opts.Clusters) == 0 {
		opts.Clusters = []flux.Entry{{Name: "t", Path: "."}}
	}
	cat, err := check.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if opts.Rules, err = ruleSettings(nil, nil, cat); err != nil {
		t.Fatal(err)
	}
	if err := f.policy.apply(&opts, cfg, f.config, dir, cat); err != nil {
		t.Fatal(err)
	}
	res, err := check.Run(context.Background(), opts, check.Deps{Checkers: faults[filepath.Base(dir)]})
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	return res.Findings
}

// TestRules runs every case of rulesDir and matches its findings with its
// wants; every rule of the catalogue must have a case of its own, named
// after it, that wants a finding of it.
func TestRules(t *testing.T) {
	folders, err := os.ReadDir(rulesDir)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := check.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	tested := map[string]bool{}
	for _, folder := range folders {
		if !folder.IsDir() {
			continue
		}
		dir := filepath.Join(rulesDir, folder.Name())
		wants := readWants(t, dir)
		for _, w := range wants {
			if w.rule == folder.Name() {
				tested[w.rule] = true
			}
		}
		t.Run(folder.Name(), func(t *testing.T) {
			matchFindings(t, wants, checkFolder(t, dir))
		})
	}
	for _, r := range cat.Rules() {
		if !tested[r.ID] {
			t.Errorf("rule %s has no case %s/%s with a want of it", r.ID, rulesDir, r.ID)
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
			at := f.Pos.File == w.file && f.Pos.Line == w.line
			if w.cluster {
				at = f.Pos.Line == 0
			}
			return f.RuleID == w.rule && at && (w.pattern == nil || w.pattern.MatchString(f.Message+"\n"+f.Hint))
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
