package source

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// A File is one parsed YAML file.
type File struct {
	// Path is the repository path, with forward slashes.
	Path string
	// Docs holds the documents that parsed, in file order. Empty documents
	// (comments only) are left out.
	Docs []*Document
	// Findings holds the YAML problems of the file: syntax errors and
	// duplicate keys. The documents around a broken one still parse.
	Findings []finding.Finding
	// Lines holds the file's text, one entry a line, without line ends.
	Lines []string
	// Refused, when set, says why the file must not be handed to kustomize
	// or any other parser that expands aliases or keeps every document: an
	// alias bomb, or more documents than the limit. Its findings say where.
	Refused error
	// budget bounds the node trees of the documents (Repo.KeepTrees); nil
	// keeps them all.
	budget *treeBudget
	// embedded keeps what Embedded returned for a scalar node (a
	// *yaml.Node, which the key keeps alive): every Kustomization a
	// parent's patch gives the same inline patch parses it once.
	embedded sync.Map
}

// Limits of what Parse accepts; a file beyond them is refused, not parsed
// further.
const (
	// DefaultMaxDocuments is the largest number of documents in one file.
	// kustomize's build time grows with the square of the number of
	// resources (each one appended is compared with all before it): 5,000
	// take about 15 s on one core, 10,000 over a minute.
	DefaultMaxDocuments = 5000
	// DefaultMaxBuildDocuments is the largest number of documents that
	// the files of one kustomize build may hold together: the square law
	// is per build, so a build of several files under DefaultMaxDocuments
	// each would still run for minutes. 2,000 take about 2 s on one core;
	// the largest cluster of the shared corpora renders 406 objects.
	DefaultMaxBuildDocuments = 2000
	// MaxAliasExpansion is the largest number of nodes that the aliases of
	// one document may add when expanded (kustomize expands them all): a
	// "billion laughs" file of a few lines adds hundreds of millions.
	MaxAliasExpansion = 1000000
)

var (
	utf8BOM       = []byte{0xEF, 0xBB, 0xBF}
	yamlErrorLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	docSeparator  = regexp.MustCompile(`^---(\s|$)`)
	lineBreaks    = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u0085", "\n", "\u2028", "\n", "\u2029", "\n")
)

// Parse splits data into YAML documents and parses each on its own, so an
// error in one document does not hide the others. Positions are 1-based
// lines and columns of the whole file.
func Parse(path string, data []byte) *File {
	return ParseLimit(path, data, DefaultMaxDocuments)
}

// ParseLimit is Parse with a limit on the number of documents: a file with
// more is refused with a finding at the first document over the limit.
func ParseLimit(path string, data []byte, maxDocuments int) *File {
	f := &File{Path: path}
	data, ok := utf8Text(data)
	if !ok {
		f.Findings = append(f.Findings, finding.Finding{
			RuleID: RuleSyntax, Severity: finding.Error,
			Message: "file is neither UTF-8 nor UTF-16 text", Pos: finding.Pos{File: path, Line: 1, Col: 1},
		})
		return f
	}
	// The YAML parser breaks lines at CR LF, a lone CR, NEL, LS and PS;
	// the lines that positions count must break at the same places
	// (found by FuzzParse: a lone CR put nodes past the last line).
	text := lineBreaks.Replace(string(data))
	f.Lines = strings.Split(text, "\n")
	chunks := splitDocuments(f.Lines)
	if over := overLimit(chunks, maxDocuments); over != nil {
		f.Refused = fmt.Errorf("%s has more than %d documents (limits.maxDocuments)", path, maxDocuments)
		f.Findings = append(f.Findings, finding.Finding{
			RuleID: RuleSyntax, Severity: finding.Error, Pos: finding.Pos{File: path, Line: over.start + 1, Col: 1},
			Message: fmt.Sprintf("too many documents: more than the limit of %d (limits.maxDocuments); the file is not read", maxDocuments),
		})
		return f
	}
	for _, chunk := range chunks {
		f.parseChunk(chunk)
	}
	return f
}

// A chunk is the text of one document and the 0-based index of its first line.
type chunk struct {
	start int
	lines []string
}

// splitDocuments cuts the file at "---" lines. A document separator always
// starts at column 0, so block scalars cannot hide one. Each chunk's lines
// are a part of lines: a separator line starts the chunk it opens, so
// that content written on it ("--- !tag" or "--- key: v") keeps its
// column.
func splitDocuments(lines []string) []chunk {
	var chunks []chunk
	start := 0
	for i, line := range lines {
		separator := strings.HasPrefix(line, "---") && docSeparator.MatchString(line)
		if separator && onlyDirectives(lines[start:i]) {
			// "%YAML" and "%TAG" directives belong to the document that
			// this separator starts.
			continue
		}
		if separator || line == "..." {
			chunks = append(chunks, chunk{start: start, lines: lines[start:i:i]})
			start = i
			if line == "..." {
				start = i + 1
			}
		}
	}
	return append(chunks, chunk{start: start, lines: lines[start:]})
}

func (f *File) parseChunk(c chunk) {
	root, err := decodeChunk(c)
	if err != nil {
		if err.Error() == "EOF" {
			return
		}
		f.Findings = append(f.Findings, syntaxFinding(f.Path, c.start, err))
		return
	}
	if root == nil {
		return
	}
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return
	}
	if added := aliasExpansion(root); added > MaxAliasExpansion {
		// A "billion laughs" document: kustomize would expand every alias
		// and never finish. The document is dropped and the file refused.
		f.Refused = fmt.Errorf("%s: aliases expand to more than %d nodes", f.Path, MaxAliasExpansion)
		f.Findings = append(f.Findings, finding.Finding{
			RuleID: RuleSyntax, Severity: finding.Error, Pos: finding.Pos{File: f.Path, Line: root.Line, Col: root.Column},
			Message: fmt.Sprintf("excessive aliasing: the aliases of this document expand to more than %d nodes; the file is not read", MaxAliasExpansion),
		})
		return
	}
	doc := &Document{File: f, Index: len(f.Docs), node: root, StartLine: c.start + 1, EndLine: c.start + len(c.lines)}
	f.Docs = append(f.Docs, doc)
	f.Findings = append(f.Findings, duplicateKeys(f.Path, root)...)
}

// decodeChunk parses the text of one document, with positions in the
// whole file. The root is nil for a document without content.
func decodeChunk(c chunk) (*yaml.Node, error) {
	var node yaml.Node
	dec := yaml.NewDecoder(strings.NewReader(strings.Join(c.lines, "\n")))
	if err := dec.Decode(&node); err != nil {
		return nil, err
	}
	if len(node.Content) == 0 {
		return nil, nil
	}
	moveNodes(&node, c.start, 0)
	clampNodes(&node, c.start+max(len(c.lines), 1))
	return node.Content[0], nil
}

// clampNodes moves nodes that yaml.v3 places past the end of the text
// (the empty value of a last "?" key sits on the line after it) to the
// last line, so that every position names a line of the file (found by
// FuzzParse).
func clampNodes(n *yaml.Node, last int) {
	if n == nil {
		return
	}
	if n.Line > last {
		n.Line, n.Column = last, 1
	}
	for _, c := range n.Content {
		clampNodes(c, last)
	}
}

// overLimit returns the first chunk with content past the limit of
// documents, or nil. Chunks of only comments and blank lines (the one
// before a leading "---") do not count.
func overLimit(chunks []chunk, limit int) *chunk {
	if limit <= 0 || len(chunks) <= limit {
		return nil
	}
	n := 0
	for i := range chunks {
		if hasContent(chunks[i].lines) {
			if n++; n > limit {
				return &chunks[i]
			}
		}
	}
	return nil
}

func hasContent(lines []string) bool {
	for _, l := range lines {
		t := strings.TrimSpace(strings.TrimPrefix(l, "---"))
		if t != "" && !strings.HasPrefix(t, "#") {
			return true
		}
	}
	return false
}

// aliasExpansion returns how many nodes expanding the aliases under root
// would add, each alias counting as the size of what it names. Counting
// stops just past MaxAliasExpansion, and sizes are memoised per node, so
// the walk is linear in the document.
func aliasExpansion(root *yaml.Node) int {
	plain := 0
	var count func(n *yaml.Node)
	count = func(n *yaml.Node) {
		plain++
		for _, c := range n.Content {
			count(c)
		}
	}
	count(root)
	limit := plain + MaxAliasExpansion + 1
	size := map[*yaml.Node]int{}
	var expanded func(n *yaml.Node) int
	expanded = func(n *yaml.Node) int {
		if n == nil {
			return 0
		}
		if s, ok := size[n]; ok {
			return s
		}
		size[n] = limit // an alias back to an enclosing node counts as too big
		total := 1
		if n.Kind == yaml.AliasNode {
			total = expanded(n.Alias)
		}
		for _, c := range n.Content {
			total = min(total+expanded(c), limit)
		}
		size[n] = min(total, limit)
		return size[n]
	}
	return expanded(root) - plain
}

// syntaxFinding turns a yaml.v3 error into a finding at its line.
func syntaxFinding(path string, offset int, err error) finding.Finding {
	msg := err.Error()
	line := offset + 1
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	if m := yamlErrorLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		line = offset + n
		msg = m[2]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	return finding.Finding{
		RuleID: RuleSyntax, Severity: finding.Error,
		Message: "invalid YAML: " + msg, Pos: finding.Pos{File: path, Line: line, Col: 1},
	}
}

// duplicateKeys reports every key that repeats an earlier key of the same
// mapping, at the repeated key.
func duplicateKeys(path string, root *yaml.Node) []finding.Finding {
	var out []finding.Finding
	seen := map[*yaml.Node]bool{}
	var walk func(*yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		if n.Kind == yaml.MappingNode {
			keys := map[string]int{}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				if k.Kind != yaml.ScalarNode || k.Value == "<<" {
					continue
				}
				if first, dup := keys[k.Value]; dup {
					out = append(out, finding.Finding{
						RuleID: RuleDuplicateKey, Severity: finding.Error,
						Message: fmt.Sprintf("duplicate key %q (first set on line %d); only one value survives", k.Value, first),
						Pos:     finding.Pos{File: path, Line: k.Line, Col: k.Column},
					})
					continue
				}
				keys[k.Value] = k.Line
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	return out
}

// onlyDirectives reports whether lines hold at least one YAML directive and
// nothing else but comments and blank lines.
func onlyDirectives(lines []string) bool {
	found := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "%"):
			found = true
		case t != "" && !strings.HasPrefix(t, "#"):
			return false
		}
	}
	return found
}
