package render

import (
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// patchesOfKustomization reads the patches a kustomization.yaml declares,
// from patch files or inline text, with their positions.
func patchesOfKustomization(repo *source.Repo, kdoc *source.Document, dir string) []*model.Patch {
	var out []*model.Patch
	for _, field := range []string{"patches", "patchesJson6902", "patchesStrategicMerge"} {
		list, ok := kdoc.Lookup([]string{field})
		if !ok || list.Value.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range list.Value.Content {
			out = append(out, patchesOfEntry(repo, kdoc.File, item, dir)...)
		}
	}
	return out
}

// patchesOfEntry reads one patch entry: a mapping with path or patch and an
// optional target, or a bare string (a file or inline strategic merge patch).
func patchesOfEntry(repo *source.Repo, file *source.File, item *yaml.Node, dir string) []*model.Patch {
	var kind, name string
	var docs []*source.Document
	switch item.Kind {
	case yaml.ScalarNode:
		docs = patchDocs(repo, file, item, dir)
	case yaml.MappingNode:
		if t, depth := source.LookupNode(item, []string{"target"}); depth == 1 {
			kind = scalarAt(t.Value, "kind")
			name = scalarAt(t.Value, "name")
		}
		if p, depth := source.LookupNode(item, []string{"patch"}); depth == 1 {
			docs = file.Embedded(p.Value)
			if p.Value.Kind != yaml.ScalarNode {
				// Flux's patchesJson6902 holds the operations as YAML.
				docs = []*source.Document{source.NewDocument(file, p.Value, p.Value.Line, p.Value.Line)}
			}
		} else if p, depth := source.LookupNode(item, []string{"path"}); depth == 1 {
			docs = patchDocs(repo, file, p.Value, dir)
		} else {
			// Flux's patchesStrategicMerge holds the patches as objects.
			docs = []*source.Document{source.NewDocument(file, item, item.Line, item.Line)}
		}
	}
	var out []*model.Patch
	for _, d := range docs {
		p := &model.Patch{TargetKind: kind, TargetName: name}
		if d.Root().Kind == yaml.SequenceNode {
			p.Ops = jsonPatchOps(d)
		} else {
			p.Doc = d
		}
		out = append(out, p)
	}
	return out
}

// patchDocs returns the documents of a patch given as a file name, or as
// inline YAML when the string is not a file of the repository.
func patchDocs(repo *source.Repo, file *source.File, n *yaml.Node, dir string) []*source.Document {
	if n.Kind != yaml.ScalarNode {
		return nil
	}
	if !strings.Contains(n.Value, "\n") {
		if rel, ok := repo.Rel(filepath.Join(dir, filepath.FromSlash(n.Value))); ok {
			if f, err := repo.File(rel); err == nil {
				return f.Docs
			}
		}
	}
	return file.Embedded(n)
}

// jsonPatchOps reads the operations of a JSON 6902 patch document.
func jsonPatchOps(d *source.Document) []model.PatchOp {
	var ops []model.PatchOp
	for i := range d.Root().Content {
		idx := strconv.Itoa(i)
		path := d.Str(idx, "path")
		if path == "" || d.Str(idx, "op") == "remove" {
			continue
		}
		loc, ok := d.Lookup([]string{idx, "value"})
		if !ok {
			loc, _ = d.Lookup([]string{idx})
		}
		ops = append(ops, model.PatchOp{Path: splitPointer(path), Doc: d, Value: loc})
	}
	return ops
}

// splitPointer splits a JSON pointer into field names.
func splitPointer(p string) []string {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return parts
}

func scalarAt(n *yaml.Node, key string) string {
	loc, depth := source.LookupNode(n, []string{key})
	if depth != 1 || loc.Value.Kind != yaml.ScalarNode {
		return ""
	}
	return loc.Value.Value
}

// patchesOfFluxKustomization reads the patches a Flux Kustomization object
// adds in spec.patches, spec.patchesStrategicMerge and spec.patchesJson6902.
func patchesOfFluxKustomization(repo *source.Repo, ks *model.Object, dir string) []*model.Patch {
	if ks == nil {
		return nil
	}
	var out []*model.Patch
	for _, field := range []string{"patches", "patchesJson6902", "patchesStrategicMerge"} {
		file, list, ok := ks.Locate([]string{"spec", field})
		if !ok || list.Kind != yaml.SequenceNode {
			continue
		}
		for _, item := range list.Content {
			out = append(out, patchesOfEntry(repo, file, item, dir)...)
		}
	}
	return out
}
