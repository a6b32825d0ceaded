package flux

import (
	"os"
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
	// Via says how the entry was found (one of the Via constants); "" for
	// an entry named by the user.
	Via string
	// FluxVersion and KubernetesVersion, when set, are the versions the
	// configuration gives the cluster; they win over what the repository
	// says.
	FluxVersion, KubernetesVersion string
}

// The ways an entry is found, in the order discovery prefers them when two
// name one folder.
const (
	ViaBootstrap    = "flux-system/gotk-sync.yaml"
	ViaFluxInstance = "FluxInstance spec.sync"
	ViaChartValues  = "flux-instance chart values (instance.sync)"
	ViaClusters     = "folder under clusters/"
	ViaOrphan       = "Flux Kustomization that no cluster renders"
)

// Looked describes, for a message when discovery finds nothing, what it
// looked for.
const Looked = "flux-system/gotk-sync.yaml (flux bootstrap), a FluxInstance or flux-instance chart values " +
	"with spec.sync.path (Flux Operator), folders under clusters/, and Flux Kustomizations of this repository"

// Discover finds the candidate entries of a repository's clusters:
//   - the folder above every flux-system/gotk-sync.yaml (flux bootstrap);
//   - the spec.sync.path of every FluxInstance, and the instance.sync.path
//     of the values of a flux-instance chart (a HelmRelease's inline
//     values, or a values file), when that folder exists here (Flux
//     Operator);
//   - every folder directly under a folder named clusters.
//
// Candidates are rendered and then pruned (Prune): a folder whose
// Kustomizations another entry's render reaches is not a cluster of its
// own. A cluster's name is its path, less a leading "clusters/".
func Discover(repo *source.Repo) ([]Entry, error) {
	found := candidates{}
	root, err := render.NewArtifact(repo.Root, "")
	if err != nil {
		return nil, err
	}
	err = repo.WalkYAML(func(rel string, dir bool) bool {
		return root.Ignored(repo.Abs(rel), dir)
	}, func(rel string) { found.fromFile(repo, rel) })
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(found))
	for d, via := range found {
		out = append(out, Entry{Name: ClusterName(d), Path: d, Via: via})
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// candidates maps the entry folders found to how they were found.
type candidates map[string]string

// note records a folder, keeping the most specific way it was found.
func (found candidates) note(dir, via string) {
	dir = path.Clean(strings.TrimPrefix(dir, "/"))
	if dir == "" || strings.HasPrefix(dir, "../") || dir == ".." {
		return
	}
	if prev, ok := found[dir]; !ok || viaRank(via) < viaRank(prev) {
		found[dir] = via
	}
}

// fromFile notes the entries a repository file names by its place or
// content.
func (found candidates) fromFile(repo *source.Repo, rel string) {
	if path.Base(rel) == "gotk-sync.yaml" && path.Base(path.Dir(rel)) == "flux-system" {
		found.note(path.Dir(path.Dir(rel)), ViaBootstrap)
	}
	for d := path.Dir(rel); d != "."; d = path.Dir(d) {
		if path.Base(path.Dir(d)) == "clusters" {
			found.note(d, ViaClusters)
		}
	}
	if !repo.Mentions(rel, "sync") {
		return
	}
	for _, s := range instanceSyncs(repo, rel) {
		if isDir(repo, s.path) {
			found.note(s.path, s.via)
		}
	}
}

// viaRank orders the ways of finding an entry, most specific first.
func viaRank(via string) int {
	return slices.Index([]string{ViaBootstrap, ViaFluxInstance, ViaChartValues, ViaClusters, ViaOrphan}, via)
}

// An instanceSync is the sync path a FluxInstance, or a flux-instance
// chart's values, gives.
type instanceSync struct {
	path, via string
}

// instanceSyncs returns the sync paths that the documents of a file give:
// a FluxInstance's spec.sync.path, a HelmRelease's
// spec.values.instance.sync.path, or a values file's instance.sync.path.
func instanceSyncs(repo *source.Repo, rel string) []instanceSync {
	f, err := repo.File(rel)
	if err != nil {
		return nil
	}
	var out []instanceSync
	for _, d := range f.Docs {
		kind := d.Str("kind")
		switch {
		case kind == "FluxInstance" && Group(d.Str("apiVersion")) == GroupOperator:
			out = appendSync(out, d.Str("spec", "sync", "path"), ViaFluxInstance)
		case kind == "HelmRelease" && Group(d.Str("apiVersion")) == GroupHelm:
			out = appendSync(out, d.Str("spec", "values", "instance", "sync", "path"), ViaChartValues)
		case kind == "" && d.Str("apiVersion") == "":
			out = appendSync(out, d.Str("instance", "sync", "path"), ViaChartValues)
		}
	}
	return out
}

func appendSync(out []instanceSync, p, via string) []instanceSync {
	if p == "" || strings.Contains(p, "${") || strings.Contains(p, "{{") {
		return out
	}
	return append(out, instanceSync{path: p, via: via})
}

// isDir reports whether rel names a folder of the repository.
func isDir(repo *source.Repo, rel string) bool {
	rel = path.Clean(strings.TrimPrefix(rel, "/"))
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return false
	}
	st, err := os.Stat(repo.Abs(rel))
	return err == nil && st.IsDir()
}

// ClusterName names a cluster after its folder, less a leading "clusters/".
func ClusterName(dir string) string {
	if name, ok := strings.CutPrefix(dir, "clusters/"); ok && !strings.Contains(name, "/") {
		return name
	}
	return dir
}
