package model

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/source"
)

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

// Applies reports whether the patch may write fields of an object: its
// target, or the object a strategic merge patch names, matches it.
func (p *Patch) Applies(o *Object) bool {
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
	if !p.Applies(o) {
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
	loc, ok := p.sets(o, path)
	if !ok {
		return finding.Pos{}, false
	}
	return loc.Pos(p.Doc.File.Path), true
}

// sets finds the node of a strategic merge patch that sets the field at
// path. A mapping that the object's document has too is merged into it,
// not set: the patch adds or changes some of its fields, and the field
// itself, with the fields the patch leaves, stands in the document (a rule
// about a HelmRelease's spec as a whole points at the HelmRelease, not at
// a patch of its upgrade settings), unless the mapping says
// "$patch: replace".
func (p *Patch) sets(o *Object, path []string) (source.Located, bool) {
	if p.Doc == nil || identityField(path) {
		return source.Located{}, false
	}
	loc, ok := p.Doc.Lookup(path)
	if !ok {
		return source.Located{}, false
	}
	if loc.Value.Kind == yaml.MappingNode && !replaces(loc.Value) && o.Doc != nil {
		if _, inDoc := o.Doc.Lookup(path); inDoc {
			return source.Located{}, false
		}
	}
	return loc, true
}

// replaces reports whether a mapping of a strategic merge patch replaces
// the mapping it patches instead of merging into it.
func replaces(m *yaml.Node) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "$patch" && m.Content[i+1].Value == "replace" {
			return true
		}
	}
	return false
}

// Locate finds the node that sets a field of an object: in its patches,
// last first, then in its document.
func (o *Object) Locate(path []string) (*source.File, *yaml.Node, bool) {
	for i := len(o.Patches) - 1; i >= 0; i-- {
		p := o.Patches[i]
		if !p.Applies(o) {
			continue
		}
		if loc, ok := p.sets(o, path); ok {
			return p.Doc.File, loc.Value, true
		}
	}
	if o.Doc != nil {
		if loc, ok := o.Doc.Lookup(path); ok {
			return o.Doc.File, loc.Value, true
		}
	}
	return nil, nil, false
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

// DataFiles returns the repository paths of the files whose content a
// generator entry stores as data (its files and envs items, key=path or
// path, relative to the kustomization's folder).
func (g *GeneratorEntry) DataFiles() []string {
	if g == nil || g.Doc == nil || g.Doc.File == nil {
		return nil
	}
	dir := path.Dir(g.Doc.File.Path)
	var out []string
	for _, list := range []string{"files", "envs"} {
		items, ok := g.Doc.Lookup(append(slices.Clone(g.Path), list))
		if !ok {
			continue
		}
		for _, item := range items.Value.Content {
			p := item.Value
			if _, after, found := strings.Cut(p, "="); found && list == "files" {
				p = after
			}
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, path.Join(dir, p))
			}
		}
	}
	return out
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
