package check

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/source"
)

// Rules of the suppression comments themselves.
const (
	RuleSuppressionInvalid = "suppression-invalid"
	RuleSuppressionUnused  = "suppression-unused"
)

// A RuleSetting overrides a rule's severity or turns the rule off; it comes
// from the command line (--severity, --disable) or the configuration.
type RuleSetting struct {
	// Severity, when set, replaces the severity of the rule's findings.
	Severity *finding.Severity
	// Disabled drops the rule's findings.
	Disabled bool
}

// A suppression is one "# fluxlint:ignore RULE-ID reason" comment.
type suppression struct {
	pos   finding.Pos
	rules []string
	// lines are the lines whose findings it suppresses: its own and, for a
	// comment on a line of its own, the next line that is not a comment.
	lines [2]int
	used  bool
}

// suppressMarker is the text every suppression comment holds: a file
// without it has none. A run has its repository note it (source.Repo.Note)
// in the files it reads.
const suppressMarker = "fluxlint:ignore"

// suppressComment finds the comment in a line. The "#" must start the line
// or follow a blank, as a YAML comment does.
var suppressComment = regexp.MustCompile(`(^|\s)#\s*fluxlint:ignore\b(.*)$`)

var ruleIDForm = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// applySuppressions drops the findings that a suppression comment covers,
// and reports malformed suppressions and, with unused, those that
// suppress nothing. It reads the comments of files (the files the renders
// read) and of every file a finding names.
func applySuppressions(repo *source.Repo, files []string, fs []finding.Finding, cat *finding.Catalog, unused bool) []finding.Finding {
	names := slices.Clone(files)
	for _, f := range fs {
		if f.Pos.File != "" {
			names = append(names, f.Pos.File)
		}
	}
	slices.Sort(names)
	names = slices.Compact(names)
	byFile := map[string][]*suppression{}
	var out []finding.Finding
	for _, name := range names {
		if !repo.Mentions(name, suppressMarker) {
			continue // no suppression to read: the file need not be parsed
		}
		file, err := repo.File(name)
		if err != nil || file == nil {
			continue // the render that read it reported the problem
		}
		sups, invalid := parseSuppressions(file, cat)
		byFile[name] = sups
		out = append(out, invalid...)
	}
	for _, f := range fs {
		if !suppressed(f, byFile[f.Pos.File]) {
			out = append(out, f)
		}
	}
	for _, name := range names {
		for _, s := range byFile[name] {
			if unused && !s.used {
				out = append(out, finding.Finding{
					RuleID: RuleSuppressionUnused, Severity: finding.Info, Pos: s.pos,
					Message: fmt.Sprintf("this suppression of %s matches no finding", strings.Join(s.rules, ", ")),
					Hint:    "remove the comment, or move it onto or above the line of the finding",
				})
			}
		}
	}
	return out
}

// suppressed reports whether one of the file's suppressions covers the
// finding, and marks it used.
func suppressed(f finding.Finding, sups []*suppression) bool {
	if f.Pos.Line == 0 || f.RuleID == RuleSuppressionInvalid {
		return false
	}
	hit := false
	for _, s := range sups {
		if (s.lines[0] == f.Pos.Line || s.lines[1] == f.Pos.Line) && slices.Contains(s.rules, f.RuleID) {
			s.used = true
			hit = true
		}
	}
	return hit
}

// parseSuppressions reads the suppression comments of a file. A comment
// with no rule ID, an unknown rule ID (other than policy-…) or no reason is reported as
// suppression-invalid and suppresses nothing.
func parseSuppressions(file *source.File, cat *finding.Catalog) ([]*suppression, []finding.Finding) {
	var sups []*suppression
	var invalid []finding.Finding
	for i, line := range file.Lines {
		m := suppressComment.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		hash := m[3] // the "#" follows the optional blank of group 1
		pos := finding.Pos{File: file.Path, Line: i + 1, Col: hash + 1}
		rules, problem := parseSuppression(line[m[4]:m[5]], cat)
		if problem != "" {
			invalid = append(invalid, finding.Finding{
				RuleID: RuleSuppressionInvalid, Severity: finding.Warning, Pos: pos,
				Message: "malformed suppression: " + problem,
				Hint:    "write # fluxlint:ignore RULE-ID reason, e.g. # fluxlint:ignore schema-kind-unknown CRD installed by the chart",
			})
			continue
		}
		s := &suppression{pos: pos, rules: rules, lines: [2]int{i + 1, i + 1}}
		if strings.TrimSpace(line[:hash]) == "" {
			s.lines[1] = nextCodeLine(file.Lines, i+1)
		}
		sups = append(sups, s)
	}
	return sups, invalid
}

// parseSuppression reads "RULE-ID[,RULE-ID...] reason" and returns the rule
// IDs, or a description of what is wrong.
func parseSuppression(text string, cat *finding.Catalog) ([]string, string) {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return nil, "no rule ID"
	}
	var rules []string
	for id := range strings.SplitSeq(fields[0], ",") {
		if !ruleIDForm.MatchString(id) {
			return nil, fmt.Sprintf("%q is not a rule ID", id)
		}
		// policy- IDs may come from the user's own policies.
		if _, ok := cat.Lookup(id); !ok && !strings.HasPrefix(id, "policy-") {
			return nil, fmt.Sprintf("no rule %q (see fluxlint rules)", id)
		}
		rules = append(rules, id)
	}
	if len(fields) < 2 {
		return nil, "a reason is required after the rule ID"
	}
	return rules, ""
}

// nextCodeLine returns the 1-based number of the first line from index i on
// that is neither blank nor a comment, or 0.
func nextCodeLine(lines []string, i int) int {
	for ; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t != "" && !strings.HasPrefix(t, "#") {
			return i + 1
		}
	}
	return 0
}

// applySettings re-grades and drops findings as the rule settings say.
func applySettings(fs []finding.Finding, settings map[string]RuleSetting) []finding.Finding {
	if len(settings) == 0 {
		return fs
	}
	out := fs[:0]
	for _, f := range fs {
		s, ok := settings[f.RuleID]
		switch {
		case !ok:
		case s.Disabled:
			continue
		case s.Severity != nil:
			f.Severity = *s.Severity
		}
		out = append(out, f)
	}
	return out
}
