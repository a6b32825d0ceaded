package source

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Embedded parses the YAML text held in a string scalar of the file, such as
// an inline kustomize patch written as a block scalar, and returns its
// documents with positions in this file. Findings of the embedded text are
// left out: the tool that reads the text reports them. The documents of a
// scalar are parsed once and shared: callers must not change them.
func (f *File) Embedded(scalar *yaml.Node) []*Document {
	if scalar == nil || scalar.Kind != yaml.ScalarNode {
		return nil
	}
	if docs, ok := f.embedded.Load(scalar); ok {
		return docs.([]*Document)
	}
	docs, _ := f.embedded.LoadOrStore(scalar, f.parseEmbedded(scalar))
	return docs.([]*Document)
}

// parseEmbedded is Embedded without the memo.
func (f *File) parseEmbedded(scalar *yaml.Node) []*Document {
	inner := Parse(f.Path, []byte(scalar.Value))
	var lineShift, colShift int
	switch scalar.Style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		// The text starts on the line after the indicator, indented.
		lineShift = scalar.Line
		if scalar.Line < len(f.Lines) {
			next := f.Lines[scalar.Line]
			colShift = len(next) - len(strings.TrimLeft(next, " "))
		}
	default:
		// A quoted or plain scalar: only single-line positions are exact.
		lineShift = scalar.Line - 1
		colShift = scalar.Column
	}
	// A quoted or plain scalar over several lines folds and unescapes
	// them: its text's lines are not the file's, so every position is
	// the scalar's own (found by FuzzPatchesOfKustomization).
	multiLine := strings.Contains(strings.TrimRight(scalar.Value, "\n"), "\n")
	flat := scalar.Style != yaml.LiteralStyle && scalar.Style != yaml.FoldedStyle && multiLine
	for _, d := range inner.Docs {
		d.File = f
		if flat {
			d.StartLine, d.EndLine = scalar.Line, scalar.Line
			pinNodes(d.node, scalar.Line, scalar.Column)
			continue
		}
		d.StartLine += lineShift
		d.EndLine += lineShift
		moveNodes(d.node, lineShift, colShift)
		clampNodes(d.node, max(len(f.Lines), 1))
	}
	return inner.Docs
}

// pinNodes puts every node below n at one position.
func pinNodes(n *yaml.Node, line, col int) {
	if n == nil || n.Line == line && n.Column == col {
		return
	}
	n.Line, n.Column = line, col
	for _, c := range n.Content {
		pinNodes(c, line, col)
	}
}

func moveNodes(n *yaml.Node, lines, cols int) {
	seen := map[*yaml.Node]bool{}
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		n.Line += lines
		n.Column += cols
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
}
