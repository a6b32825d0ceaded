package flux

import (
	"path"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"

	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// Overlays returns the folders that a fleet's Kustomizations may build from
// a repository with no Flux cluster of its own: every folder with a
// kustomization file that is not a kustomize Component, and every other
// folder (below the root) whose YAML files are all Kubernetes objects and
// that no folder above holds a kustomization file for. Hidden folders are
// left out, and so are the folders of a Helm chart (below a folder with a
// Chart.yaml): Helm renders its templates, which are not manifests, and a
// HelmRelease or Argo CD, not a Kustomization, deploys it. Rendered and
// pruned (Prune), the bases that overlays read drop out and the overlays
// remain.
func Overlays(repo *source.Repo) ([]Entry, error) {
	overlays := map[string]bool{}
	loose := map[string]bool{}
	notObjects := map[string]bool{}
	charts := map[string]bool{}
	err := walkRoot(repo, func(rel string) {
		dir := path.Dir(rel)
		if hidden(dir) {
			return
		}
		if path.Base(rel) == chartFile {
			charts[dir] = true
		}
		if slices.Contains(konfig.RecognizedKustomizationFileNames(), path.Base(rel)) {
			if !isComponent(repo, rel) {
				overlays[dir] = true
			}
			return
		}
		if allObjects(repo, rel) {
			loose[dir] = true
			return
		}
		markUp(notObjects, dir)
	})
	if err != nil {
		return nil, err
	}
	var out []Entry
	for d := range overlays {
		if !under(d, charts) {
			out = append(out, Entry{Name: d, Path: d, Via: model.ViaTenant})
		}
	}
	for d := range loose {
		if d != "." && !notObjects[d] && !overlays[d] && !under(d, overlays) && !under(d, charts) {
			out = append(out, Entry{Name: d, Path: d, Via: model.ViaTenant})
		}
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// markUp marks a folder and every folder above it: Flux reads every YAML
// file below a folder without a kustomization file, so a file that is no
// Kubernetes object makes none of them a folder of manifests.
func markUp(marked map[string]bool, dir string) {
	for d := dir; ; d = path.Dir(d) {
		marked[d] = true
		if d == "." || d == "/" {
			return
		}
	}
}

// isComponent reports whether a kustomization file is a kustomize
// Component, which only an overlay can build.
func isComponent(repo *source.Repo, rel string) bool {
	f, err := repo.File(rel)
	if err != nil || len(f.Docs) == 0 {
		return false
	}
	return f.Docs[0].Str("kind") == "Component"
}

// allObjects reports whether every document of a YAML file is a
// Kubernetes object (it has an apiVersion and a kind).
func allObjects(repo *source.Repo, rel string) bool {
	f, err := repo.File(rel)
	if err != nil || len(f.Docs) == 0 {
		return false
	}
	for _, d := range f.Docs {
		if d.Str("apiVersion") == "" || d.Str("kind") == "" {
			return false
		}
	}
	return true
}

// chartFile is the file that makes a folder a Helm chart.
const chartFile = "Chart.yaml"

// under reports whether a folder lies in one of folders (a folder with a
// kustomization file, a Helm chart).
func under(dir string, folders map[string]bool) bool {
	for d := path.Dir(dir); ; d = path.Dir(d) {
		if folders[d] {
			return true
		}
		if d == "." || d == "/" {
			return false
		}
	}
}
