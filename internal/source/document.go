package source

import (
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// Rule IDs of the findings this package makes.
const (
	RuleSyntax       = "yaml-syntax"
	RuleDuplicateKey = "yaml-duplicate-key"
	RuleNotObject    = "yaml-not-object"
)

// A Document is one YAML document of a file, with positions. Its node
// tree is read with Root: a Repo with a tree budget (Repo.KeepTrees) may
// drop the trees of documents parsed long ago, and Root parses the
// document's text again when asked for a dropped tree.
type Document struct {
	File  *File
	Index int
	// StartLine and EndLine are the 1-based lines the document spans.
	StartLine, EndLine int

	mu sync.Mutex
	// node is the document's root node, usually a mapping; nil once the
	// tree budget dropped it.
	node *yaml.Node
}

// NewDocument returns a document of file whose root node is node, spanning
// lines start to end (1-based). Its tree is never dropped.
func NewDocument(file *File, node *yaml.Node, start, end int) *Document {
	return &Document{File: file, node: node, StartLine: start, EndLine: end}
}

// Root returns the document's root node, usually a mapping. Callers must
// not change the tree: it may be parsed again from the file's text.
func (d *Document) Root() *yaml.Node {
	d.mu.Lock()
	n := d.node
	if n != nil {
		d.mu.Unlock()
		return n
	}
	n = d.parseAgain()
	d.node = n
	d.mu.Unlock()
	// The budget is told outside the document's lock: keeping to it drops
	// the trees of other documents, each under its own lock.
	d.File.budget.add(d)
	return n
}

// Pos returns the position of the document's first node.
func (d *Document) Pos() finding.Pos {
	n := d.Root()
	return finding.Pos{File: d.File.Path, Line: n.Line, Col: n.Column}
}

// Object decodes the document into plain Go values. It returns nil when the
// document is not a mapping.
func (d *Document) Object() map[string]any {
	n := d.Root()
	if n.Kind != yaml.MappingNode {
		return nil
	}
	var obj map[string]any
	if err := n.Decode(&obj); err != nil {
		return nil
	}
	return obj
}

// Str returns the string scalar at path, or "".
func (d *Document) Str(path ...string) string {
	n, ok := d.Lookup(path)
	if !ok || n.Value.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value.Value
}

// A Located is a node found by Lookup: the key that names it in its mapping
// (nil for sequence items and the root) and its value.
type Located struct {
	Key   *yaml.Node
	Value *yaml.Node
}

// Pos returns the position of the key, or of the value when there is no key.
func (l Located) Pos(file string) finding.Pos {
	n := l.Value
	if l.Key != nil {
		n = l.Key
	}
	return finding.Pos{File: file, Line: n.Line, Col: n.Column}
}

// Lookup follows a field path (mapping keys, and sequence indices as decimal
// strings) from the document's root.
func (d *Document) Lookup(path []string) (Located, bool) {
	loc, depth := LookupNode(d.Root(), path)
	return loc, depth == len(path)
}

// PosOf returns the position of the field at path, or of its deepest
// ancestor that exists in the document.
func (d *Document) PosOf(path []string) finding.Pos {
	loc, _ := LookupNode(d.Root(), path)
	return loc.Pos(d.File.Path)
}

// LookupNode follows path from root as far as it exists and returns the
// last node reached and how many path elements it matched.
func LookupNode(root *yaml.Node, path []string) (Located, int) {
	cur := Located{Value: root}
	for i, seg := range path {
		n := cur.Value
		for n != nil && n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if n == nil {
			return cur, i
		}
		next, ok := child(n, seg)
		if !ok {
			return cur, i
		}
		cur = next
	}
	return cur, len(path)
}

func child(n *yaml.Node, seg string) (Located, bool) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return child(n.Content[0], seg)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == seg {
				return Located{Key: n.Content[i], Value: n.Content[i+1]}, true
			}
		}
	case yaml.SequenceNode:
		idx, err := strconv.Atoi(seg)
		if err == nil && idx >= 0 && idx < len(n.Content) {
			return Located{Value: n.Content[idx]}, true
		}
	}
	return Located{}, false
}

// FindText returns the position of the first occurrence of text within the
// document's lines, and false when the document does not contain it.
func (d *Document) FindText(text string) (finding.Pos, bool) {
	lines := d.File.Lines
	for ln := d.StartLine; ln <= d.EndLine && ln <= len(lines); ln++ {
		if col := strings.Index(lines[ln-1], text); col >= 0 {
			return finding.Pos{File: d.File.Path, Line: ln, Col: col + 1}, true
		}
	}
	return finding.Pos{}, false
}

// Meta returns the document's apiVersion, kind, namespace and name.
func (d *Document) Meta() (apiVersion, kind, namespace, name string) {
	return d.Str("apiVersion"), d.Str("kind"), d.Str("metadata", "namespace"), d.Str("metadata", "name")
}

// FindIn returns the document of the file with the given kind, namespace
// and name; when none has that namespace (a transformer set it), the first
// with the kind and name; or nil.
func (f *File) FindIn(kind, namespace, name string) *Document {
	for _, d := range f.Docs {
		if d.Str("kind") == kind && d.Str("metadata", "name") == name && d.Str("metadata", "namespace") == namespace {
			return d
		}
	}
	return f.Find(kind, name)
}

// Find returns the document of the file with the given kind and name, or nil.
func (f *File) Find(kind, name string) *Document {
	for _, d := range f.Docs {
		if d.Str("kind") == kind && d.Str("metadata", "name") == name {
			return d
		}
	}
	return nil
}
