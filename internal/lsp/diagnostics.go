package lsp

import (
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/safefile"
)

// diagnostic turns a finding into an LSP diagnostic. Positions are
// 1-based lines and columns counted in characters; LSP counts from 0, and
// columns in UTF-16 code units. Without an end, the range runs to the end
// of the line (less trailing blanks), and a finding about a whole file
// marks its first line. The rule ID is the code and the data, and the
// code's description links to the rule's documentation. clusters are the
// clusters whose renders report the finding at this place, named in the
// message.
func diagnostic(f finding.Finding, clusters []string, lines []string) protocol.Diagnostic {
	start := position(lines, f.Pos.Line, f.Pos.Col)
	var end protocol.Position
	switch {
	case f.Pos.EndLine > 0:
		end = position(lines, f.Pos.EndLine, max(f.Pos.EndCol, 1))
	default:
		end = protocol.Position{Line: start.Line, Character: utf16Len(strings.TrimRight(line(lines, f.Pos.Line), " \t\r"))}
		if end.Character < start.Character {
			end.Character = start.Character
		}
	}
	msg := f.Message
	if f.Hint != "" {
		msg += "\nhint: " + f.Hint
	}
	switch len(clusters) {
	case 0:
	case 1:
		msg += "\ncluster: " + clusters[0]
	default:
		msg += "\nclusters: " + strings.Join(clusters, ", ")
	}
	d := protocol.Diagnostic{
		Range:    protocol.Range{Start: start, End: end},
		Severity: ptr(severity(f.Severity)),
		Source:   ptr(Source),
		Message:  msg,
	}
	setRule(&d, f.RuleID)
	return d
}

// setRule sets a diagnostic's code, its link to the rule's documentation,
// and its data (which clients send back in code action requests) to a
// rule.
func setRule(d *protocol.Diagnostic, rule string) {
	d.Code = &protocol.IntegerOrString{Value: rule}
	d.CodeDescription = &protocol.CodeDescription{HRef: finding.DocsURL(rule)}
	d.Data = rule
}

// A located finding is one finding at one place of a file, with every
// cluster whose render reports it there: a file that two clusters read
// gets one diagnostic, not two at the same spot.
type located struct {
	f        finding.Finding
	clusters []string
}

// mergeClusters merges the findings of a file that differ only in their
// cluster, in the order of their first appearance, each with its clusters
// sorted.
func mergeClusters(fs []finding.Finding) []located {
	type key struct {
		rule, message, hint string
		severity            finding.Severity
		pos                 finding.Pos
	}
	var out []located
	at := map[key]int{}
	for _, f := range fs {
		k := key{f.RuleID, f.Message, f.Hint, f.Severity, f.Pos}
		i, seen := at[k]
		if !seen {
			i = len(out)
			at[k] = i
			out = append(out, located{f: f})
		}
		if f.Cluster != "" && !slices.Contains(out[i].clusters, f.Cluster) {
			out[i].clusters = append(out[i].clusters, f.Cluster)
		}
	}
	for i := range out {
		slices.Sort(out[i].clusters)
	}
	return out
}

func severity(s finding.Severity) protocol.DiagnosticSeverity {
	switch s {
	case finding.Error:
		return protocol.DiagnosticSeverityError
	case finding.Warning:
		return protocol.DiagnosticSeverityWarning
	default:
		return protocol.DiagnosticSeverityInformation
	}
}

// position converts a 1-based line and character column to an LSP
// position; 0 means the start.
func position(lines []string, ln, col int) protocol.Position {
	if ln < 1 {
		return protocol.Position{}
	}
	p := protocol.Position{Line: uinteger(ln - 1)}
	if col > 1 {
		runes := []rune(line(lines, ln))
		if col-1 <= len(runes) {
			p.Character = utf16Len(string(runes[:col-1]))
		} else {
			p.Character = uinteger(col - 1)
		}
	}
	return p
}

func line(lines []string, ln int) string {
	if ln < 1 || ln > len(lines) {
		return ""
	}
	return lines[ln-1]
}

func utf16Len(s string) protocol.UInteger {
	return uinteger(len(utf16.Encode([]rune(s))))
}

// uinteger converts a count to the protocol's unsigned integer, clamped.
func uinteger(n int) protocol.UInteger {
	switch {
	case n < 0:
		return 0
	case n > math.MaxUint32:
		return math.MaxUint32
	}
	return protocol.UInteger(n)
}

func statPath(path string) (os.FileInfo, error) { return os.Stat(path) }

// readLines reads a file that fluxlint does not parse as YAML (a kustomize
// generator's .env file, say).
func readLines(path string) []string {
	data, err := safefile.ReadFile(path)
	if err != nil {
		return nil
	}
	return strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
}

// codeAction offers, for each fluxlint diagnostic in the range, a quick fix
// that inserts a suppression comment on its own line above the
// diagnostic's line, indented as that line is.
func (s *Server) codeAction(_ *glsp.Context, p *protocol.CodeActionParams) (any, error) {
	uri := p.TextDocument.URI
	s.mu.Lock()
	byLine := s.published[uri]
	s.mu.Unlock()
	lines := readLines(uriPath(uri))
	var actions []protocol.CodeAction
	seen := map[string]bool{}
	for _, d := range p.Context.Diagnostics {
		if d.Source == nil || *d.Source != Source {
			continue
		}
		ln := int(d.Range.Start.Line)
		for _, rule := range ruleIDs(d, byLine[ln]) {
			key := fmt.Sprint(ln, rule)
			if seen[key] {
				continue
			}
			seen[key] = true
			actions = append(actions, suppressAction(uri, d, rule, line(lines, ln+1)))
		}
	}
	return actions, nil
}

// ruleIDs returns the rule of a diagnostic: its data, which clients send
// back as it was published, else the rules published at its line (glsp
// cannot read the code back).
func ruleIDs(d protocol.Diagnostic, published []string) []string {
	if id, ok := d.Data.(string); ok && id != "" {
		return []string{id}
	}
	return published
}

// SuppressComment is the comment the quick fix inserts; the user replaces
// "reason" with the real one.
func SuppressComment(rule string) string {
	return "# fluxlint:ignore " + rule + " reason"
}

func suppressAction(uri string, d protocol.Diagnostic, rule, text string) protocol.CodeAction {
	// glsp reads a diagnostic's code as null: the diagnostic that the
	// action fixes is given its rule again, as it was published.
	setRule(&d, rule)
	indent := text[:len(text)-len(strings.TrimLeft(text, " \t"))]
	at := protocol.Position{Line: d.Range.Start.Line}
	edit := protocol.TextEdit{Range: protocol.Range{Start: at, End: at}, NewText: indent + SuppressComment(rule) + "\n"}
	return protocol.CodeAction{
		Title:       "Suppress " + rule + " on this line (fluxlint:ignore)",
		Kind:        ptr(protocol.CodeActionKindQuickFix),
		Diagnostics: []protocol.Diagnostic{d},
		Edit:        &protocol.WorkspaceEdit{Changes: map[protocol.DocumentUri][]protocol.TextEdit{uri: {edit}}},
	}
}
