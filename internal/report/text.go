package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/termsafe"
)

// Text prints findings for people: per cluster, then per file, each line
// "line:col  severity  message  [rule]", then a summary line.
//
// With Quiet, only the findings are printed, one a line as compilers print
// them ("file:line:col: severity: message [rule]"), with no headings and no
// summary.
type Text struct {
	Color bool
	Quiet bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
)

func (t Text) paint(code, s string) string {
	if !t.Color {
		return s
	}
	return code + s + ansiReset
}

func (t Text) severity(s finding.Severity) string {
	label := fmt.Sprintf("%-7s", s)
	switch s {
	case finding.Error:
		return t.paint(ansiRed, label)
	case finding.Warning:
		return t.paint(ansiYellow, label)
	}
	return t.paint(ansiBlue, label)
}

// Print writes the report.
func (t Text) Print(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	if t.Quiet {
		for _, f := range r.Findings {
			fmt.Fprintf(bw, "%s: %s %s %s\n", esc(f.Pos.String()), t.severity(f.Severity), esc(objectMessage(f)), t.paint(ansiDim, "["+esc(f.RuleID)+"]"))
		}
		return bw.Flush()
	}
	groups := map[string][]finding.Finding{}
	for _, f := range r.Findings {
		groups[f.Cluster] = append(groups[f.Cluster], f)
	}
	if fs := groups[""]; len(fs) > 0 {
		fmt.Fprintln(bw, t.paint(ansiBold, "repository"))
		t.files(bw, fs)
	}
	for _, c := range r.Clusters {
		head := fmt.Sprintf("cluster %s (%s): %d Kustomizations, %d objects", esc(c.Name), esc(c.Path), c.Kustomizations, c.Objects)
		if c.HelmReleases > 0 {
			head += fmt.Sprintf(", %d HelmReleases (%d rendered)", c.HelmReleases, c.Rendered)
		}
		fmt.Fprintln(bw, t.paint(ansiBold, head))
		t.files(bw, groups[c.Name])
	}
	// Findings of clusters the report does not list are printed too.
	listed := map[string]bool{"": true}
	for _, c := range r.Clusters {
		listed[c.Name] = true
	}
	var others []string
	for name := range groups {
		if !listed[name] {
			others = append(others, name)
		}
	}
	slices.Sort(others)
	for _, name := range others {
		fmt.Fprintln(bw, t.paint(ansiBold, "cluster "+esc(name)))
		t.files(bw, groups[name])
	}
	s := r.Summary()
	if r.Shard != "" {
		fmt.Fprintf(bw, "shard %s: ", r.Shard)
	}
	fmt.Fprintf(bw, "%d clusters, %d Kustomizations, %d objects: %s, %s, %s\n",
		s.Clusters, s.Kustomizations, s.Objects,
		plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Infos, "info"))
	return bw.Flush()
}

// files prints findings grouped by file; they arrive sorted by file.
func (t Text) files(w io.Writer, fs []finding.Finding) {
	if len(fs) == 0 {
		fmt.Fprintln(w, "  no findings")
		return
	}
	file, first := "", true
	for _, f := range fs {
		if first || f.Pos.File != file {
			file, first = f.Pos.File, false
			fmt.Fprintf(w, "  %s\n", t.paint(ansiBold, esc(file)))
		}
		loc := fmt.Sprintf("%d:%d", f.Pos.Line, f.Pos.Col)
		msg := f.Message
		if !f.Object.IsZero() && !strings.Contains(msg, f.Object.Name) {
			msg = f.Object.String() + ": " + msg
		}
		fmt.Fprintf(w, "    %-8s %s %s %s\n", loc, t.severity(f.Severity), esc(msg), t.paint(ansiDim, "["+esc(f.RuleID)+"]"))
		if f.Hint != "" {
			fmt.Fprintf(w, "             %s\n", t.paint(ansiDim, "hint: "+esc(f.Hint)))
		}
	}
}

// esc escapes the control characters and bidirectional overrides of text
// from the repository, so that it cannot rewrite the terminal or issue
// CI workflow commands; the printers' own newlines and colours stay.
func esc(s string) string { return termsafe.Escape(s) }

func plural(n int, word string) string {
	if n == 1 || word == "info" {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
