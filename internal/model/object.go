package model

import (
	"fmt"
	"slices"
	"strconv"

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

// releasePos traces a field of a chart's output back to the inline value of
// the HelmRelease that holds the same scalar, when exactly one does;
// otherwise it is the HelmRelease's chart.
func (o *Object) releasePos(path []string) finding.Pos {
	if v, ok := ValueAt(o.Content, path...); ok && isScalar(v) {
		var found [][]string
		values, _ := ValueAt(o.Release.Content, "spec", "values")
		findScalar(values, v, []string{"spec", "values"}, &found)
		if len(found) == 1 {
			return o.Release.PosOf(found[0])
		}
	}
	return o.Origin
}

// ValueAt returns the value at a path of a decoded object: a key of a
// map, or a decimal index of a list, at each step. It is the one walker of
// decoded objects that the packages of the pipeline share.
func ValueAt(v any, path ...string) (any, bool) {
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

// Value returns the value at a path of a decoded object (ValueAt), or
// nil.
func Value(v any, path ...string) any {
	out, _ := ValueAt(v, path...)
	return out
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

// RefOf names a decoded object by its apiVersion, kind, namespace and
// name.
func RefOf(content map[string]any) finding.ObjectRef {
	return finding.ObjectRef{
		APIVersion: str(content, "apiVersion"), Kind: str(content, "kind"),
		Namespace: str(content, "metadata", "namespace"), Name: str(content, "metadata", "name"),
	}
}

// str returns the string at a path of a decoded object, or "".
func str(content map[string]any, path ...string) string {
	s, _ := value(content, path...).(string)
	return s
}

// value returns the value at a path of a decoded object, or nil.
func value(content map[string]any, path ...string) any {
	return Value(content, path...)
}
