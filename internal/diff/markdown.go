package diff

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// MaxMarkdownLines bounds the diff lines shown per object in Markdown, so
// that a pull-request comment stays under the size forges accept.
const MaxMarkdownLines = 200

// MaxMarkdownFindings bounds the findings listed in Markdown, each of added
// and removed.
const MaxMarkdownFindings = 100

// WriteMarkdown writes the comparison as Markdown for a pull-request
// comment: the findings added and removed, when known, then a table of
// counts per cluster, and per cluster the blast radius and each changed
// object's diff in a collapsed section.
//
// Each line is escaped as in text output (termsafe): a bidirectional
// override in a value cannot reorder what reviewers read.
func WriteMarkdown(w io.Writer, r *Result) error {
	var out strings.Builder
	bw := bufio.NewWriter(&out)
	if r.Findings != nil {
		writeMarkdownFindings(bw, r)
	}
	fmt.Fprintf(bw, "### fluxlint: rendered objects, %s → %s\n\n", code(r.Base), code(r.Head))
	if r.Empty() {
		fmt.Fprintf(bw, "No rendered object changes in %d %s.\n", len(r.Clusters), plural(len(r.Clusters), "cluster"))
		return writeEscaped(w, bw, &out)
	}
	fmt.Fprint(bw, "| Cluster | Added | Removed | Changed |\n| --- | ---: | ---: | ---: |\n")
	for _, c := range r.Clusters {
		fmt.Fprintf(bw, "| %s%s | %d | %d | %d |\n", code(c.Name), onlyNote(c.Only), c.Count(Added), c.Count(Removed), c.Count(Changed))
	}
	for _, c := range r.Clusters {
		if len(c.Changes) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n#### Cluster %s (%s)\n\n", code(c.Name), code(c.Path))
		fmt.Fprintf(bw, "Blast radius: %s\n\n", producers(c.Producers(), fluxObject))
		for _, ch := range c.Changes {
			writeMarkdownChange(bw, ch)
		}
	}
	return writeEscaped(w, bw, &out)
}

// writeMarkdownFindings writes a table of the findings added and removed.
func writeMarkdownFindings(bw *bufio.Writer, r *Result) {
	fc := r.Findings
	fmt.Fprintf(bw, "### fluxlint: findings, %s → %s\n\n", code(r.Base), code(r.Head))
	if fc.Empty() {
		fmt.Fprint(bw, "No finding is added or removed.\n\n")
		return
	}
	fmt.Fprintf(bw, "**%d added**, %d removed (removed findings stand where they were in %s).\n\n",
		len(fc.Added), len(fc.Removed), code(r.Base))
	fmt.Fprint(bw, "| | Severity | Position | Message | Rule | Cluster |\n| --- | --- | --- | --- | --- | --- |\n")
	rows := func(kind string, fs []finding.Finding) {
		for i, f := range fs {
			if i == MaxMarkdownFindings {
				fmt.Fprintf(bw, "| %s | | | … %d more; run `fluxlint diff` for all of them | | |\n", kind, len(fs)-i)
				return
			}
			sev := f.Severity.String()
			if kind == "added" && f.Severity == finding.Error {
				sev = "**error**"
			}
			cluster := ""
			if f.Cluster != "" {
				cluster = code(f.Cluster)
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s |\n", kind, sev, cell(code(f.Pos.String())),
				cell(html.EscapeString(message(f))), cell(code(f.RuleID)), cell(cluster))
		}
	}
	rows("added", fc.Added)
	rows("removed", fc.Removed)
	fmt.Fprint(bw, "\n")
}

// cell makes text safe in a table cell: one line, no column separator.
func cell(s string) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	return strings.ReplaceAll(s, "|", `\|`)
}

func writeMarkdownChange(bw *bufio.Writer, ch Change) {
	fmt.Fprintf(bw, "<details><summary>%s <code>%s</code> from <code>%s</code></summary>\n\n",
		ch.Kind, html.EscapeString(ch.Ref.String()), html.EscapeString(ch.Origin))
	if ch.MaskedOnly {
		fmt.Fprintf(bw, "%s.\n\n</details>\n", strings.ToUpper(MaskedNote[:1])+MaskedNote[1:])
		return
	}
	lines := strings.SplitAfter(ch.Unified, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	more := 0
	if len(lines) > MaxMarkdownLines {
		more = len(lines) - MaxMarkdownLines
		lines = lines[:MaxMarkdownLines]
	}
	body := strings.Join(lines, "")
	fence := fenceFor(body)
	fmt.Fprintf(bw, "%sdiff\n%s%s\n", fence, body, fence)
	if more > 0 {
		fmt.Fprintf(bw, "\n… %d more %s; run `fluxlint diff` for all of it.\n", more, plural(more, "line"))
	}
	fmt.Fprint(bw, "\n</details>\n")
}

// fenceFor returns a code fence longer than any run of backticks in body.
func fenceFor(body string) string {
	longest, run := 0, 0
	for _, r := range body {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// code formats s as an inline code span.
func code(s string) string {
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

// fluxObject formats a producer's name: Flux objects as code.
func fluxObject(name string) string {
	if name == EntryFolder {
		return name
	}
	return code(name)
}
