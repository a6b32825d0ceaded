package affect

import (
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/source"
)

// A pathIn is a Flux Kustomization path in a source named by a sourceRef.
type pathIn struct {
	source, path string
}

// resolveSources follows the paths in GitRepositories other than
// flux-system and in ExternalArtifacts, pass after pass while new
// GitRepositories, generators or paths turn up in the files the paths
// reach. Each file is scanned once, so this ends.
func (w *walker) resolveSources() {
	for !w.r.All {
		before := len(w.gitRepos) + len(w.generators) + len(w.gitPaths) + len(w.externals)
		for i := 0; i < len(w.gitPaths) && !w.r.All; i++ {
			if w.inThisRepository(w.gitPaths[i].source) {
				if dir, ok := w.sourcePath(w.gitPaths[i].path); ok {
					w.fluxPath(dir)
				}
			}
		}
		for i := 0; i < len(w.externals) && !w.r.All; i++ {
			w.external(w.externals[i])
		}
		if len(w.gitRepos)+len(w.generators)+len(w.gitPaths)+len(w.externals) == before {
			return
		}
	}
}

// inThisRepository reports whether the GitRepository name may be this
// repository: fluxlint renders no other (a mapped one is a global path of
// Options). It is, unless every GitRepository of that name found in the
// cluster has a URL that is not one of this repository's.
func (w *walker) inThisRepository(name string) bool {
	found := false
	for _, d := range w.gitRepos {
		if d.Str("metadata", "name") != name {
			continue
		}
		found = true
		url := d.Str("spec", "url")
		if url == "" || strings.Contains(url, "${") || w.self[flux.NormalizeURL(url)] {
			return true
		}
	}
	return !found
}

// external follows one path in an ExternalArtifact through every
// ArtifactGenerator that builds the artifact. An artifact that no
// generator of the cluster builds is not rendered: it reaches nothing.
func (w *walker) external(e pathIn) {
	for _, gen := range w.generators {
		arts, _ := gen.Lookup([]string{"spec", "artifacts"})
		if arts.Value == nil || arts.Value.Kind != yaml.SequenceNode {
			continue
		}
		for _, a := range arts.Value.Content {
			if name, _ := source.LookupNode(a, []string{"name"}); name.Value == nil || name.Value.Value != e.source {
				continue
			}
			root, ok := copyRoot(a)
			if !ok {
				w.unresolved("ExternalArtifact " + e.source + " is built from copies that do not keep one source folder's layout")
				return
			}
			if dir, ok := w.sourcePath(path.Join(root, strings.TrimLeft(e.path, "/"))); ok {
				w.fluxPath(dir)
			}
		}
	}
}

// copyRoot returns the source folder whose layout an artifact's copies
// keep, as the render reads it (flux.CommonCopyRoot).
func copyRoot(artifact *yaml.Node) (string, bool) {
	var m map[string]any
	if artifact.Decode(&m) != nil {
		return "", false
	}
	_, dir, ok := flux.CommonCopyRoot(m)
	return dir, ok
}
