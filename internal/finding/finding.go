package finding

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"regexp"
	"strings"
)

// A Pos is a place in a file of the checked repository. File is relative to
// the repository root, with forward slashes. Line and Col start at 1; a zero
// Line means the whole file.
type Pos struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"column,omitempty"`
	EndLine int    `json:"endLine,omitempty"`
	EndCol  int    `json:"endColumn,omitempty"`
}

// IsZero reports whether the position names no file.
func (p Pos) IsZero() bool { return p.File == "" }

// String formats the position as file:line:col, as compilers do.
func (p Pos) String() string {
	switch {
	case p.File == "":
		return "-"
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Under returns the position with its file named from a folder above the
// checked one: dir is the checked folder's slash-separated path inside
// that folder (a Git work tree's top, say), and File becomes dir/File,
// cleaned. A position without a file, an absolute file or an empty dir is
// returned unchanged.
func (p Pos) Under(dir string) Pos {
	if dir == "" || p.File == "" || path.IsAbs(p.File) {
		return p
	}
	p.File = path.Join(dir, p.File)
	return p
}

// An ObjectRef names a Kubernetes object.
type ObjectRef struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name,omitempty"`
}

// IsZero reports whether the reference names nothing.
func (o ObjectRef) IsZero() bool { return o == ObjectRef{} }

// String formats the reference as Kind/namespace/name.
func (o ObjectRef) String() string {
	if o.Namespace == "" {
		return o.Kind + "/" + o.Name
	}
	return o.Kind + "/" + o.Namespace + "/" + o.Name
}

// A Finding is one problem, reported at the place a person has to edit.
type Finding struct {
	RuleID   string    `json:"rule"`
	Severity Severity  `json:"severity"`
	Message  string    `json:"message"`
	Hint     string    `json:"hint,omitempty"`
	Pos      Pos       `json:"position"`
	Object   ObjectRef `json:"object,omitzero"`
	// Cluster is the name of the cluster whose render produced the finding;
	// empty for findings about the repository as a whole.
	Cluster string `json:"cluster,omitempty"`
	// Chain lists the Flux objects that produced the object, outermost first,
	// each as Kind/namespace/name.
	Chain []string `json:"chain,omitempty"`
	// Names is, for a finding about a reference to an object that does not
	// exist, the object it names, so that a later step may weigh it again
	// (a substituteFrom Secret that a source unread offline may make); it
	// is not part of the output.
	Names *ObjectRef `json:"-"`
}

// Fingerprint returns a stable identity for the finding that does not change
// when unrelated lines move: rule, file, cluster, object and message, with
// the line numbers the message quotes (another file's position, a YAML
// parser's "line 12", a chart template's "deployment.yaml:12:3") left out,
// as golangci-lint leaves the line out of its fingerprint. The finding's
// own position is not part of it either: a line added above a finding
// keeps its fingerprint, which is how fluxlint diff and check
// --new-from-rev tell old findings from new ones.
func (f Finding) Fingerprint() string {
	h := sha256.New()
	for _, s := range []string{f.RuleID, f.Pos.File, f.Cluster, f.Object.String(), withoutLines(f.Message)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

var (
	// linesInFilePositions matches the line and column of a file position
	// that a message quotes: "apps/x.yaml:12:3", "templates/cm.tpl:4".
	linesInFilePositions = regexp.MustCompile(`(\.(?:ya?ml|json|tpl|tmpl|txt|env|rego|toml)):\d+(?::\d+)?`)
	// linesInWords matches "line 12" and "lines 3", as YAML parsers and
	// fluxlint's own messages write them.
	linesInWords = regexp.MustCompile(`(?i)\b(lines?) \d+`)
)

// withoutLines replaces the line numbers that a message quotes with "N".
func withoutLines(msg string) string {
	if !strings.ContainsAny(msg, "0123456789") {
		return msg
	}
	msg = linesInFilePositions.ReplaceAllString(msg, "$1:N")
	return linesInWords.ReplaceAllString(msg, "$1 N")
}

// String formats the finding on one line: position, severity, message, rule.
func (f Finding) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: %s [%s]", f.Pos, f.Severity, f.Message, f.RuleID)
	return b.String()
}
