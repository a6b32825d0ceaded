package render

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/source"
)

// An Object is one rendered Kubernetes object with its provenance.
type Object struct {
	// Ref names the object as it will be applied.
	Ref finding.ObjectRef
	// Content is the rendered object.
	Content map[string]any
	// Doc is the source document the object was read from, or nil when a
	// generator made it.
	Doc *source.Document
	// Origin is where the object is defined: its document, or the generator
	// entry that made it.
	Origin finding.Pos
	// Patches are the patches that may have set fields of the object, in the
	// order kustomize applied them.
	Patches []*Patch
	// Chain names the Flux objects whose renders produced this object,
	// outermost first, each as Kind/namespace/name.
	Chain []string
	// Release is the HelmRelease whose chart produced the object, and
	// Template the chart template, as Helm names it; nil and "" otherwise.
	Release  *Object
	Template string
	// Generator is the configMapGenerator or secretGenerator entry that
	// made the object, nil otherwise: its data keys are written there.
	Generator *GeneratorEntry
	// Maker is the Flux Operator object (a ResourceSet or FluxInstance)
	// that generated this object, and MakerField maps a field path of the
	// object to the field of Maker that wrote it; nil otherwise.
	Maker      *Object
	MakerField func(path []string) []string
	// Target names the cluster the object is applied to when that is not
	// the cluster being checked: a Flux Kustomization or HelmRelease with
	// spec.kubeConfig applies its output to another cluster, named after
	// the kubeConfig's Secret or ConfigMap as "namespace/name". "" is the
	// cluster itself.
	Target string
	// Secrets lists values in Content that come from Secrets (substituted
	// variables, values of a chart read from Secrets); output masks them.
	Secrets []string
}

// A Patch is where a kustomize patch is written: a strategic merge patch
// document, or the operations of a JSON 6902 patch.
type Patch struct {
	// Doc is a strategic merge patch, nil for a JSON 6902 patch.
	Doc *source.Document
	// Ops are the operations of a JSON 6902 patch.
	Ops []PatchOp
	// TargetKind and TargetName, when set, restrict the patch to objects of
	// that kind and (original) name.
	TargetKind, TargetName string
}

// A PatchOp is one JSON 6902 operation that writes a value at Path.
type PatchOp struct {
	Path  []string
	Doc   *source.Document
	Value source.Located
}

// PosOf returns the position of the field at path: in the last patch that
// sets it, else in the source document, else the object's origin.
func (o *Object) PosOf(path []string) finding.Pos {
	if o.Release != nil {
		return o.releasePos(path)
	}
	if o.Maker != nil && o.MakerField != nil {
		return o.Maker.PosOf(o.MakerField(path))
	}
	for i := len(o.Patches) - 1; i >= 0; i-- {
		if pos, ok := o.Patches[i].posOf(o, path); ok {
			return pos
		}
	}
	if o.Doc != nil {
		return o.Doc.PosOf(path)
	}
	if pos, ok := o.Generator.posOf(path); ok {
		return pos
	}
	return o.Origin
}

// A GeneratorEntry is one configMapGenerator or secretGenerator entry of a
// kustomization file: Path is its field path in Doc.
type GeneratorEntry struct {
	Doc  *source.Document
	Path []string
}

// posOf finds where a generator entry writes a data key: the item of
// files (key=path, or a path whose base name is the key) or literals
// (key=value) that names it, or the envs list for a key from an env file.
func (g *GeneratorEntry) posOf(path []string) (finding.Pos, bool) {
	if g == nil || len(path) < 2 || (path[0] != "data" && path[0] != "binaryData" && path[0] != "stringData") {
		return finding.Pos{}, false
	}
	key := path[1]
	for _, list := range []string{"files", "literals"} {
		items, ok := g.Doc.Lookup(append(slices.Clone(g.Path), list))
		if !ok {
			continue
		}
		for i, item := range items.Value.Content {
			if entryKey(item.Value, list == "files") == key {
				return g.Doc.PosOf(append(slices.Clone(g.Path), list, strconv.Itoa(i))), true
			}
		}
	}
	if _, ok := g.Doc.Lookup(append(slices.Clone(g.Path), "envs")); ok {
		return g.Doc.PosOf(append(slices.Clone(g.Path), "envs")), true
	}
	return finding.Pos{}, false
}

// entryKey returns the data key a files or literals item writes.
func entryKey(item string, file bool) string {
	if k, _, ok := strings.Cut(item, "="); ok {
		return strings.TrimSpace(k)
	}
	if file {
		return path.Base(item)
	}
	return ""
}

// Docs returns the object's source document and the documents of its
// patches, where text of the object may be written.
func (o *Object) Docs() []*source.Document {
	var docs []*source.Document
	if o.Maker != nil {
		docs = append(docs, o.Maker.Docs()...)
	}
	if o.Doc != nil {
		docs = append(docs, o.Doc)
	}
	for _, p := range o.Patches {
		if p.Doc != nil {
			docs = append(docs, p.Doc)
		}
		for _, op := range p.Ops {
			docs = append(docs, op.Doc)
		}
	}
	return slices.Compact(docs)
}

func (p *Patch) applies(o *Object) bool {
	if p.TargetKind != "" && p.TargetKind != o.Ref.Kind {
		return false
	}
	if p.TargetName != "" && p.TargetName != o.Ref.Name && (o.Doc == nil || p.TargetName != o.Doc.Str("metadata", "name")) {
		return false
	}
	if p.Doc != nil && p.TargetKind == "" {
		// A strategic merge patch names its target itself.
		name := p.Doc.Str("metadata", "name")
		return p.Doc.Str("kind") == o.Ref.Kind && (name == o.Ref.Name || o.Doc != nil && name == o.Doc.Str("metadata", "name"))
	}
	return true
}

// identityField reports whether a path names a field that a strategic merge
// patch writes to select its target, not to set it.
func identityField(path []string) bool {
	if len(path) == 1 {
		return path[0] == "apiVersion" || path[0] == "kind"
	}
	return len(path) == 2 && path[0] == "metadata" && (path[1] == "name" || path[1] == "namespace")
}

func (p *Patch) posOf(o *Object, path []string) (finding.Pos, bool) {
	if !p.applies(o) {
		return finding.Pos{}, false
	}
	for i := len(p.Ops) - 1; i >= 0; i-- {
		op := p.Ops[i]
		if len(op.Path) > len(path) || !slices.Equal(op.Path, path[:len(op.Path)]) {
			continue
		}
		if len(op.Path) == len(path) {
			return op.Value.Pos(op.Doc.File.Path), true
		}
		loc, _ := source.LookupNode(op.Value.Value, path[len(op.Path):])
		return loc.Pos(op.Doc.File.Path), true
	}
	if p.Doc == nil || identityField(path) {
		return finding.Pos{}, false
	}
	loc, ok := p.Doc.Lookup(path)
	if !ok {
		return finding.Pos{}, false
	}
	return loc.Pos(p.Doc.File.Path), true
}

// releasePos traces a field of a chart's output back to the inline value of
// the HelmRelease that holds the same scalar, when exactly one does;
// otherwise it is the HelmRelease's chart.
func (o *Object) releasePos(path []string) finding.Pos {
	if v, ok := valueAt(o.Content, path); ok && isScalar(v) {
		var found [][]string
		values, _ := valueAt(o.Release.Content, []string{"spec", "values"})
		findScalar(values, v, []string{"spec", "values"}, &found)
		if len(found) == 1 {
			return o.Release.PosOf(found[0])
		}
	}
	return o.Origin
}

func valueAt(v any, path []string) (any, bool) {
	for _, seg := range path {
		switch t := v.(type) {
		case map[string]any:
			next, ok := t[seg]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(t) {
				return nil, false
			}
			v = t[i]
		default:
			return nil, false
		}
	}
	return v, true
}

func isScalar(v any) bool {
	switch v.(type) {
	case map[string]any, []any, nil:
		return false
	}
	return true
}

// findScalar collects the paths under v whose scalar equals want.
func findScalar(v, want any, path []string, found *[][]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			findScalar(c, want, append(slices.Clone(path), k), found)
		}
	case []any:
		for i, c := range t {
			findScalar(c, want, append(slices.Clone(path), strconv.Itoa(i)), found)
		}
	default:
		if fmt.Sprint(t) == fmt.Sprint(want) {
			*found = append(*found, path)
		}
	}
}
