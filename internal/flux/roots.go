package flux

import (
	"path"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/source"
)

// Orphans finds Flux Kustomizations that read this repository and that no
// render of a known cluster produces: the roots of clusters laid out in
// other ways than flux bootstrap's. Each becomes a cluster whose entry is
// the folder of its file. read holds the repository files the known
// clusters' renders read.
func Orphans(repo *source.Repo, read map[string]bool) ([]Entry, error) {
	root, err := render.NewArtifact(repo.Root, "")
	if err != nil {
		return nil, err
	}
	dirs := map[string]bool{}
	err = repo.WalkYAML(func(rel string, dir bool) bool {
		return root.Ignored(repo.Abs(rel), dir)
	}, func(rel string) {
		if read[rel] {
			return
		}
		f, err := repo.File(rel)
		if err != nil {
			return
		}
		for _, d := range f.Docs {
			if isLocalKustomization(d) {
				dirs[path.Dir(rel)] = true
			}
		}
	})
	if err != nil {
		return nil, err
	}
	var out []Entry
	for d := range dirs {
		out = append(out, Entry{Name: d, Path: d})
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// isLocalKustomization reports whether a document is a Flux Kustomization
// whose source is the cluster's own GitRepository.
func isLocalKustomization(d *source.Document) bool {
	if d.Str("kind") != "Kustomization" || Group(d.Str("apiVersion")) != GroupKustomize {
		return false
	}
	kind := d.Str("spec", "sourceRef", "kind")
	return (kind == "" || kind == "GitRepository") && d.Str("spec", "sourceRef", "name") == "flux-system"
}
