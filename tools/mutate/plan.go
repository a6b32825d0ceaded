package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// Mutation classes.
const (
	classFluxRef    = "flux-ref"       // a Flux reference names nothing
	classK8sRef     = "k8s-ref"        // a Kubernetes reference names nothing
	classCRRef      = "cr-ref"         // a reference inside a custom resource names nothing
	classTarget     = "rename-target"  // the referenced object is renamed
	classKey        = "rename-key"     // a referenced key is renamed
	classSelector   = "break-selector" // a Service selector matches nothing
	classType       = "schema-type"    // an integer field gets a word
	classField      = "unknown-field"  // a field's name is misspelt
	classRemovedAPI = "removed-api"    // an apiVersion no longer served
)

// perFileClass caps the mutations of one class in one file, so that a big
// generated file does not dominate the figures.
const perFileClass = 4

// A loc is a file and line.
type loc struct {
	file string
	line int
}

// A mutation replaces one scalar and says where a finding must appear.
type mutation struct {
	class     string
	file      string
	line, col int
	old, new  string
	// want are the lines where the defect must be reported.
	want []loc
	// targetKind is the kind a reference's old value names ("" for
	// other mutations, and for keys).
	targetKind string
	// unrendered marks a reference whose unchanged target the clean copy
	// does not render.
	unrendered bool
}

func (m mutation) describe() string {
	return fmt.Sprintf("%s:%d %q -> %q (want %v)", m.file, m.line, m.old, m.new, m.want)
}

// apply returns the file's content with the scalar replaced.
func (m mutation) apply(data []byte) []byte {
	lines := bytes.Split(data, []byte("\n"))
	l := lines[m.line-1]
	i := m.col - 1
	// A node's column is that of its anchor or tag when it has one
	// (name: &app value): the value follows it.
	if j := bytes.Index(l[i:], []byte(m.old)); j > 0 {
		i += j
	}
	lines[m.line-1] = slices.Concat(l[:i], []byte(m.new), l[i+len(m.old):])
	return bytes.Join(lines, []byte("\n"))
}

func (m mutation) expects(f finding.Finding) bool {
	return slices.Contains(m.want, loc{f.Pos.File, f.Pos.Line})
}

// near reports whether a finding is in a wanted file, up to four lines above
// a wanted line.
func (m mutation) near(f finding.Finding) bool {
	for _, w := range m.want {
		if f.Pos.File == w.file && f.Pos.Line < w.line && f.Pos.Line >= w.line-4 {
			return true
		}
	}
	return false
}

// A reference is a scalar that names another object.
type reference struct {
	at         loc
	col        int
	value      string
	targetKind string
	// parent is the line of the mapping key that holds the reference (for
	// sourceRef: the sourceRef: line), also accepted as the right line.
	parent int
	isKey  bool
	// class is the reference's mutation class.
	class string
}

// A defined object is a document's kind and metadata.name.
type defined struct {
	kind, name string
	at         loc
	col        int
}

// plan lists the mutations of a corpus copy.
func plan(dir string) ([]mutation, error) {
	var refs []reference
	var defs []defined
	var selectors []mutation
	var others []mutation
	patches := patchFiles(dir)
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !isYAML(path) {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		r, df, sel, oth := scanFile(path, filepath.ToSlash(rel))
		if patches[filepath.ToSlash(rel)] {
			oth = slices.DeleteFunc(oth, func(m mutation) bool { return m.class == classRemovedAPI })
		}
		refs, defs, selectors, others = append(refs, r...), append(defs, df...), append(selectors, sel...), append(others, oth...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []mutation
	count := map[string]int{}
	add := func(m mutation) {
		k := m.file + "|" + m.class
		if count[k] >= perFileClass {
			return
		}
		count[k]++
		out = append(out, m)
	}
	for _, r := range refs {
		class := r.class
		if r.isKey {
			class = classKey
		}
		add(mutation{class: class, file: r.at.file, line: r.at.line, col: r.col, old: r.value, new: typo(r.value),
			want: []loc{r.at}, targetKind: r.targetKind})
	}
	for _, m := range targets(refs, defs) {
		add(m)
	}
	for _, m := range selectors {
		add(m)
	}
	for _, m := range others {
		add(m)
	}
	return out, nil
}

func isYAML(path string) bool {
	return strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")
}

// targets renames, once per object, each defined object that a reference
// names.
func targets(refs []reference, defs []defined) []mutation {
	var out []mutation
	done := map[string]bool{}
	for _, d := range defs {
		k := d.kind + "/" + d.name
		if done[k] {
			continue
		}
		var want []loc
		for _, r := range refs {
			if !r.isKey && r.targetKind == d.kind && r.value == d.name {
				want = append(want, r.at)
			}
		}
		if len(want) == 0 {
			continue
		}
		done[k] = true
		out = append(out, mutation{class: classTarget, file: d.at.file, line: d.at.line, col: d.col, old: d.name, new: typo(d.name), want: want})
	}
	return out
}

// scanFile reads the references, definitions and Service selectors of one
// YAML file; a file that does not parse gives none.
func scanFile(path, rel string) ([]reference, []defined, []mutation, []mutation) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, nil, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	s := &scanner{file: rel}
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if err != io.EOF { //nolint:errorlint // yaml.v3 returns io.EOF itself
				return nil, nil, nil, nil
			}
			break
		}
		if len(doc.Content) == 1 && doc.Content[0].Kind == yaml.MappingNode {
			s.doc(doc.Content[0])
		}
	}
	return s.refs, s.defs, s.selectors, s.others
}

// typo misspells a name as a person would: its last two letters swapped
// ("flux-operator" becomes "flux-operatro"), or an "x" added when they are
// the same. A suffix such as "-mut" would keep the name's prefix, which a
// chart that is not rendered may plausibly make.
func typo(name string) string {
	n := len(name)
	if n < 3 || name[n-1] == name[n-2] {
		return name + "x"
	}
	return name[:n-2] + string(name[n-1]) + string(name[n-2])
}
