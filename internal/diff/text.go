package diff

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/fluxlint/fluxlint/internal/termsafe"
)

// WriteText writes the comparison for a terminal: the findings added and
// removed, when known, then per cluster a summary, the Flux objects whose
// output changes, and each changed object with its unified diff.
//
// Names, paths and values come from the repository: each line is escaped
// (termsafe), so none can rewrite the terminal or issue a CI command.
func WriteText(w io.Writer, r *Result) error {
	var out strings.Builder
	bw := bufio.NewWriter(&out)
	if r.Findings != nil {
		writeTextFindings(bw, r)
	}
	fmt.Fprintf(bw, "rendered objects, %s -> %s\n", r.Base, r.Head)
	var added, removed, changed int
	for _, c := range r.Clusters {
		added += c.Count(Added)
		removed += c.Count(Removed)
		changed += c.Count(Changed)
		fmt.Fprintf(bw, "cluster %s (%s)%s: %s\n", c.Name, c.Path, onlyNote(c.Only), summary(c))
		if len(c.Changes) == 0 {
			continue
		}
		fmt.Fprintf(bw, "  blast radius: %s\n", producers(c.Producers(), func(s string) string { return s }))
		for _, ch := range c.Changes {
			fmt.Fprintf(bw, "  %-7s %s  (%s, by %s)\n", ch.Kind, ch.Ref, ch.Origin, ch.Producer())
			if ch.MaskedOnly {
				fmt.Fprintf(bw, "    (%s)\n", MaskedNote)
			}
			for _, line := range strings.SplitAfter(ch.Unified, "\n") {
				if line != "" {
					fmt.Fprintf(bw, "    %s", line)
				}
			}
		}
	}
	fmt.Fprintf(bw, "%d %s: %d added, %d removed, %d changed\n", len(r.Clusters), plural(len(r.Clusters), "cluster"), added, removed, changed)
	return writeEscaped(w, bw, &out)
}

// writeTextFindings lists the findings added and removed, one a line.
func writeTextFindings(bw *bufio.Writer, r *Result) {
	fc := r.Findings
	fmt.Fprintf(bw, "findings, %s -> %s: %d added, %d removed\n", r.Base, r.Head, len(fc.Added), len(fc.Removed))
	for _, f := range fc.Added {
		fmt.Fprintf(bw, "  added   %s%s\n", line(f), findingNote(f.Cluster, ""))
	}
	for _, f := range fc.Removed {
		fmt.Fprintf(bw, "  removed %s%s\n", line(f), findingNote(f.Cluster, "at "+r.Base))
	}
}

// findingNote names a finding's cluster, if it has one, and adds more.
func findingNote(cluster, more string) string {
	var parts []string
	if cluster != "" {
		parts = append(parts, "cluster "+cluster)
	}
	if more != "" {
		parts = append(parts, more)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// writeEscaped flushes bw into out and writes out to w, each line escaped.
func writeEscaped(w io.Writer, bw *bufio.Writer, out *strings.Builder) error {
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, termsafe.EscapeEachLine(out.String()))
	return err
}

// summary counts a cluster's changes in words.
func summary(c ClusterDiff) string {
	if len(c.Changes) == 0 {
		return "no change"
	}
	return fmt.Sprintf("%d added, %d removed, %d changed", c.Count(Added), c.Count(Removed), c.Count(Changed))
}

// onlyNote says that a cluster exists in one revision only.
func onlyNote(only string) string {
	switch only {
	case "head":
		return ", new"
	case "base":
		return ", gone"
	}
	return ""
}

// producers lists the blast radius, each Flux object's name formatted
// with name.
func producers(ps []Producer, name func(string) string) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%s (%d %s)", name(p.Name), p.Objects, plural(p.Objects, "object"))
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
