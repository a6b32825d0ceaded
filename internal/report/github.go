package report

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/termsafe"
)

// GitHub prints findings as GitHub Actions workflow commands, which the
// runner turns into annotations on the pull request's files:
//
//	::error file=apps/web.yaml,line=6,col=3,title=schema-invalid::message
//
// Errors are error annotations, warnings warning annotations and infos
// notices. When StepSummary names a file (the runner's GITHUB_STEP_SUMMARY),
// a Markdown summary of the run is appended to it as well.
type GitHub struct {
	// StepSummary is the file the Markdown job summary is appended to; ""
	// writes none.
	StepSummary string
}

// maxSummaryRows bounds the findings table of the job summary, whose file
// GitHub caps at 1 MiB.
const maxSummaryRows = 200

// Print writes the report.
func (g GitHub) Print(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Findings {
		fmt.Fprintf(bw, "::%s %s::%s\n", githubCommand(f.Severity), githubProperties(f), escapeData(safeMessageOf(f)))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write github annotations: %w", err)
	}
	if g.StepSummary == "" {
		return nil
	}
	file, err := os.OpenFile(g.StepSummary, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("write job summary: %w", err)
	}
	if err := WriteMarkdownSummary(file, r); err != nil {
		_ = file.Close()
		return err
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("write job summary: %w", err)
	}
	return nil
}

func githubCommand(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "error"
	case finding.Warning:
		return "warning"
	}
	return "notice"
}

// githubProperties formats the command's properties: file, line, col,
// endLine, endColumn and title. Zero values are left out.
func githubProperties(f finding.Finding) string {
	var props []string
	add := func(key string, v int) {
		if v > 0 {
			props = append(props, fmt.Sprintf("%s=%d", key, v))
		}
	}
	if f.Pos.File != "" {
		props = append(props, "file="+escapeProperty(esc(f.Pos.File)))
		add("line", f.Pos.Line)
		add("col", f.Pos.Col)
		add("endLine", f.Pos.EndLine)
		add("endColumn", f.Pos.EndCol)
	}
	props = append(props, "title="+escapeProperty(esc(f.RuleID)))
	return strings.Join(props, ",")
}

// safeMessageOf is messageOf with the control characters and bidirectional
// overrides of the repository's text escaped: the GitHub runner shows ESC
// sequences in the log. Line breaks stay: the formats that use it carry
// them safely (escapeData, XML text, escapeCell).
func safeMessageOf(f finding.Finding) string {
	msg := termsafe.EscapeLines(objectMessage(f))
	if f.Hint != "" {
		msg += "\nHint: " + termsafe.EscapeLines(f.Hint)
	}
	return msg
}

// escapeData escapes a command's message as the runner's toolkit does
// (actions/toolkit, packages/core/src/command.ts: escapeData).
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a property value; ":" and "," separate properties
// and must be escaped too (command.ts: escapeProperty).
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

// WriteMarkdownSummary writes a Markdown summary of the report: counts, the
// clusters and a table of findings (at most maxSummaryRows).
func WriteMarkdownSummary(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	s := r.Summary()
	fmt.Fprintf(bw, "## fluxlint\n\n%d clusters, %d Kustomizations, %d objects: **%s**, %s, %s\n\n",
		s.Clusters, s.Kustomizations, s.Objects,
		plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Infos, "info"))
	if len(r.Clusters) > 0 {
		fmt.Fprintln(bw, "| cluster | path | Kustomizations | HelmReleases | objects |")
		fmt.Fprintln(bw, "|---|---|--:|--:|--:|")
		for _, c := range r.Clusters {
			fmt.Fprintf(bw, "| %s | `%s` | %d | %d | %d |\n", escapeCell(esc(c.Name)), escapeCell(esc(c.Path)), c.Kustomizations, c.HelmReleases, c.Objects)
		}
		fmt.Fprintln(bw)
	}
	if len(r.Findings) > 0 {
		fmt.Fprintln(bw, "| severity | location | rule | cluster | message |")
		fmt.Fprintln(bw, "|---|---|---|---|---|")
		for i, f := range r.Findings {
			if i == maxSummaryRows {
				fmt.Fprintf(bw, "\n… and %d more findings; see the annotations or the full output.\n", len(r.Findings)-i)
				break
			}
			fmt.Fprintf(bw, "| %s | `%s` | `%s` | %s | %s |\n",
				f.Severity, escapeCell(esc(f.Pos.String())), escapeCell(esc(f.RuleID)), escapeCell(esc(f.Cluster)), escapeCell(safeMessageOf(f)))
		}
		fmt.Fprintln(bw)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write job summary: %w", err)
	}
	return nil
}

// escapeCell keeps text inside one Markdown table cell.
func escapeCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\r", "", "\n", "<br>").Replace(s)
}
