package flux

import (
	"path"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/source"
)

// An Entry names a cluster and the repository folder Flux syncs it from.
type Entry struct {
	Name string
	Path string
}

// Discover finds the clusters of a repository in the layouts flux bootstrap
// makes: every folder that holds flux-system/gotk-sync.yaml, and every
// folder directly under a folder named clusters. A cluster's name is its
// path, less a leading "clusters/".
func Discover(repo *source.Repo) ([]Entry, error) {
	dirs := map[string]bool{}
	root, err := render.NewArtifact(repo.Root, "")
	if err != nil {
		return nil, err
	}
	err = repo.WalkYAML(func(rel string, dir bool) bool {
		return root.Ignored(repo.Abs(rel), dir)
	}, func(rel string) {
		if path.Base(rel) == "gotk-sync.yaml" && path.Base(path.Dir(rel)) == "flux-system" {
			dirs[path.Dir(path.Dir(rel))] = true
		}
		for d := path.Dir(rel); d != "."; d = path.Dir(d) {
			if path.Base(path.Dir(d)) == "clusters" {
				dirs[d] = true
			}
		}
	})
	if err != nil {
		return nil, err
	}
	var out []Entry
	for d := range dirs {
		out = append(out, Entry{Name: ClusterName(d), Path: d})
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// ClusterName names a cluster after its folder, less a leading "clusters/".
func ClusterName(dir string) string {
	if name, ok := strings.CutPrefix(dir, "clusters/"); ok && !strings.Contains(name, "/") {
		return name
	}
	return dir
}
