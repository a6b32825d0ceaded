package diff

import (
	"fmt"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// A Findings is one revision's findings, with the text of the line each
// stands at.
type Findings struct {
	Findings []finding.Finding
	// Line returns the text of a line of a file of the revision, or "" when
	// it is not known; nil knows no line.
	Line func(file string, line int) string
}

// FindingChanges are the findings that a change adds and removes, each in
// the order of its revision's findings. Removed findings stand at their
// positions in the base revision.
type FindingChanges struct {
	Added, Removed []finding.Finding
}

// Empty reports whether no finding is added or removed.
func (c *FindingChanges) Empty() bool { return len(c.Added) == 0 && len(c.Removed) == 0 }

// CompareFindings matches the findings of two revisions by fingerprint
// (rule, file, cluster, object and message, not the line: a line added
// above a finding does not make it new) and returns those that only one
// revision has. When several findings share a fingerprint (one message on
// several lines of a file), those whose line reads the same in both
// revisions are matched first, then the rest in order, so that a revision
// with one more of them adds one.
func CompareFindings(base, head Findings) FindingChanges {
	b, h := located(base), located(head)
	match := func(key func(l *locatedFinding) string) {
		free := map[string][]*locatedFinding{}
		for i := range b {
			if !b[i].matched {
				k := key(&b[i])
				free[k] = append(free[k], &b[i])
			}
		}
		for i := range h {
			if h[i].matched {
				continue
			}
			k := key(&h[i])
			if list := free[k]; len(list) > 0 {
				list[0].matched, h[i].matched = true, true
				free[k] = list[1:]
			}
		}
	}
	match(func(l *locatedFinding) string { return l.fingerprint + "\x00" + l.line })
	match(func(l *locatedFinding) string { return l.fingerprint })
	var out FindingChanges
	for _, l := range h {
		if !l.matched {
			out.Added = append(out.Added, l.f)
		}
	}
	for _, l := range b {
		if !l.matched {
			out.Removed = append(out.Removed, l.f)
		}
	}
	return out
}

// A locatedFinding is a finding with its fingerprint and the text of its
// line.
type locatedFinding struct {
	f           finding.Finding
	fingerprint string
	line        string
	matched     bool
}

func located(fs Findings) []locatedFinding {
	out := make([]locatedFinding, len(fs.Findings))
	for i, f := range fs.Findings {
		out[i] = locatedFinding{f: f, fingerprint: f.Fingerprint()}
		if fs.Line != nil && f.Pos.File != "" && f.Pos.Line > 0 {
			out[i].line = strings.TrimSpace(fs.Line(f.Pos.File, f.Pos.Line))
		}
	}
	return out
}

// message returns a finding's message, led by its object when the message
// does not name it, as check's text output writes it.
func message(f finding.Finding) string {
	if !f.Object.IsZero() && !strings.Contains(f.Message, f.Object.Name) {
		return f.Object.String() + ": " + f.Message
	}
	return f.Message
}

// line formats a finding as check's text output does: position, severity,
// message, rule.
func line(f finding.Finding) string {
	return fmt.Sprintf("%s: %s: %s [%s]", f.Pos, f.Severity, message(f), f.RuleID)
}
