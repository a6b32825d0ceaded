package flux

import (
	"os"
	"path"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/gitroot"
	"github.com/fluxlint/fluxlint/internal/model"
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
	// Instance is, for an entry found by a FluxInstance's spec.sync
	// (ViaFluxInstance) or by flux-instance chart values (ViaChartValues),
	// the file of that FluxInstance or those values: applied by hand or
	// installed from outside the entry folder, it still makes the sync.
	Instance string
	// Joined is, when set, the folder of root Kustomizations that are
	// applied by hand to this cluster beside its entry (flux.Joins): the
	// entry of an orphan found to be a part of it.
	Joined string
}

// Looked describes, for a message when discovery finds nothing, what it
// looked for.
const Looked = "flux-system/gotk-sync.yaml or <namespace>/gotk-sync.yaml (flux bootstrap), a FluxInstance or flux-instance chart values " +
	"with spec.sync.path (Flux Operator), the spec.path of a Kustomization flux-system, folders under clusters/, Flux Kustomizations of this repository, " +
	"and then kustomize overlays and folders of Kubernetes manifests (a tenant repository)"

// Discover finds the candidate entries of a repository's clusters:
//   - the folder above every flux-system/gotk-sync.yaml (flux bootstrap),
//     and above every NS/gotk-sync.yaml whose Kustomization syncs that
//     folder (flux bootstrap --namespace NS);
//   - the spec.sync.path of every FluxInstance, and the instance.sync.path
//     of the values of a flux-instance chart (a HelmRelease's inline
//     values, or a values file), when that folder exists here (Flux
//     Operator);
//   - the spec.path of every Kustomization flux-system/flux-system kept
//     outside gotk-sync.yaml (a kustomize patch of a shared flux-system
//     folder), when that folder exists here;
//   - every folder directly under a folder named clusters.
//
// Candidates are rendered and then pruned (Prune): a folder whose
// Kustomizations another entry's render reaches is not a cluster of its
// own. A cluster's name is its path, less a leading "clusters/".
//
// memo, when set, keeps what discovery reads in the files it parses
// (FileFacts) between runs.
func Discover(repo *source.Repo, memo FactsMemo) ([]Entry, error) {
	found := candidates{}
	if err := walkRoot(repo, func(rel string) { found.fromFile(repo, memo, rel) }); err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(found))
	for d, c := range found {
		if c.via == model.ViaClusters && found.holdsSynced(d) {
			continue
		}
		out = append(out, Entry{Name: ClusterName(d), Path: d, Via: c.via, Instance: c.instance})
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// walkRoot calls fn with every YAML file of the repository that its root's
// ignore rules keep (its .sourceignore files, or else source-controller's
// default exclusions), as the artifact of a GitRepository of the whole
// repository holds it. The rules are read and matched once a run
// (source.Repo.WalkKept): discovery, the search for Kustomizations no
// cluster renders (Orphans) and for a tenant's overlays (Overlays) walk
// the same files.
func walkRoot(repo *source.Repo, fn func(rel string)) error {
	return repo.WalkKept("flux: the root artifact", func() (func(rel string, dir bool) bool, error) {
		root, err := render.NewArtifact(repo.Root, "")
		if err != nil {
			return nil, err
		}
		return func(rel string, dir bool) bool { return root.Ignored(repo.Abs(rel), dir) }, nil
	}, fn)
}

// candidates maps the entry folders found to how they were found.
type candidates map[string]candidate

// A candidate is how an entry folder was found: the way, and the file of
// the FluxInstance that syncs it when that is the way.
type candidate struct {
	via, instance string
}

// note records a folder, keeping the most specific way it was found (the
// first file, in walk order, of equally specific ones).
func (found candidates) note(dir string, c candidate) {
	dir = path.Clean(strings.TrimPrefix(dir, "/"))
	if dir == "" || strings.HasPrefix(dir, "../") || dir == ".." {
		return
	}
	if prev, ok := found[dir]; !ok || viaRank(c.via) < viaRank(prev.via) {
		found[dir] = c
	}
}

// holdsSynced reports whether a folder holds, below it, the entry of a
// cluster that flux bootstrap or Flux Operator syncs: a folder under
// clusters/ is then a group of clusters (clusters/stages holding
// stages/dev/clusters/services-amer/flux-system/gotk-sync.yaml), not a
// cluster of its own.
func (found candidates) holdsSynced(dir string) bool {
	for d, c := range found {
		if c.via != model.ViaClusters && c.via != model.ViaOrphan && d != dir && inFolder(d, dir) {
			return true
		}
	}
	return false
}

// bootstrapSync is where flux bootstrap writes a cluster's sync, from the
// cluster's folder.
const bootstrapSync = "flux-system/gotk-sync.yaml"

// fromFile notes the entries a repository file names by its place or
// content. The file is parsed, or its FileFacts taken from memo, only when
// its place or a search of its bytes says it may name one.
func (found candidates) fromFile(repo *source.Repo, memo FactsMemo, rel string) {
	found.fromBootstrapSync(repo, rel)
	var facts *FileFacts
	read := func() FileFacts {
		if facts == nil {
			f := factsOf(repo, memo, rel)
			facts = &f
		}
		return *facts
	}
	for d := path.Dir(rel); d != "."; d = path.Dir(d) {
		if path.Base(path.Dir(d)) == "clusters" && !hidden(d) && read().Manifest {
			found.note(d, candidate{via: model.ViaClusters})
		}
	}
	if path.Base(rel) != "gotk-sync.yaml" && repo.Mentions(rel, "flux-system") {
		for _, d := range syncPaths(repo, read()) {
			found.note(d, candidate{via: model.ViaSyncPath})
		}
	}
	if !repo.Mentions(rel, "sync") {
		return
	}
	for _, s := range instanceSyncs(repo, read()) {
		found.note(s.dir, candidate{via: s.via, instance: rel})
	}
}

// fromBootstrapSync notes the cluster folder of a gotk-sync.yaml: the
// folder above flux-system/gotk-sync.yaml, or above NS/gotk-sync.yaml when
// its Kustomization syncs that folder (flux bootstrap --namespace NS writes
// the sync in <path>/NS/gotk-sync.yaml: flux2's manifestgen joins the
// target path, the namespace and the file name).
func (found candidates) fromBootstrapSync(repo *source.Repo, rel string) {
	if path.Base(rel) != path.Base(bootstrapSync) || path.Dir(rel) == "." {
		return
	}
	dir := path.Dir(path.Dir(rel))
	if path.Base(path.Dir(rel)) == path.Dir(bootstrapSync) {
		if !hidden(dir) || syncsFolder(repo, rel, dir) {
			found.note(dir, candidate{via: model.ViaBootstrap})
		}
		return
	}
	if syncsFolder(repo, rel, dir) {
		found.note(dir, candidate{via: model.ViaBootstrap})
	}
}

// syncsFolder reports whether a gotk-sync.yaml holds a Flux Kustomization
// whose spec.path is dir, the folder above it. One in a hidden folder
// (hidden) that syncs another folder is a copy put away there (an
// .archived folder keeps a cluster's old tree, whose sync names the path
// it had), which no cluster syncs; one that syncs its own folder is a
// cluster kept there on purpose.
func syncsFolder(repo *source.Repo, rel, dir string) bool {
	f, err := repo.File(rel)
	if err != nil {
		return false
	}
	for _, d := range f.Docs {
		if d.Str("kind") != "Kustomization" || model.Group(d.Str("apiVersion")) != model.GroupKustomize {
			continue
		}
		if p, ok := localDir(repo, d.Str("spec", "path")); ok && p == dir {
			return true
		}
	}
	return false
}

// viaRank orders the ways of finding an entry, most specific first.
func viaRank(via string) int {
	return slices.Index([]string{model.ViaBootstrap, model.ViaFluxInstance, model.ViaChartValues, model.ViaSyncPath, model.ViaClusters, model.ViaOrphan}, via)
}

// An instanceSync is what a FluxInstance, or a flux-instance chart's
// values, syncs its cluster from: a folder of this repository (dir, as
// localDir gives it) and the URL that therefore means this repository.
type instanceSync struct {
	dir, url, via string
}

// instanceSyncs returns the syncs of the documents of a file whose path is
// a folder of this repository: a FluxInstance's spec.sync, a HelmRelease's
// spec.values.instance.sync, or a values file's instance.sync.
func instanceSyncs(repo *source.Repo, facts FileFacts) []instanceSync {
	var out []instanceSync
	for _, in := range facts.Instances {
		if dir, ok := localDir(repo, in.Path); ok {
			out = append(out, instanceSync{dir: dir, url: in.URL, via: in.Via})
		}
	}
	return out
}

// syncPaths returns the folders of this repository that the Flux
// Kustomizations flux-system of a file name in spec.path: the sync that
// flux bootstrap writes in gotk-sync.yaml, here kept in a file of another
// name or set by a kustomize patch of it (a cluster's kustomization.yaml
// that takes a shared flux-system folder and patches the path to its own
// folder, applied by hand at bootstrap). A path with variables is left
// out: only the render knows its value; so is the repository's root,
// which would build every cluster at once, and gotk-sync.yaml itself names
// its cluster by its place (ViaBootstrap).
func syncPaths(repo *source.Repo, facts FileFacts) []string {
	var out []string
	for _, p := range facts.SyncPaths {
		if dir, ok := localDir(repo, p); ok && dir != "." {
			out = append(out, dir)
		}
	}
	return out
}

// localDir returns the folder of the repository that a Flux path (a
// spec.path, a sync path) names, as the repository's own source reads it:
// confined to the repository, and, when the repository is a folder of a
// larger Git repository, also written from the Git root (render.Artifact
// Join). ok is false when it is no folder.
func localDir(repo *source.Repo, p string) (string, bool) {
	a := &render.Artifact{Root: repo.Root, Prefix: gitroot.Prefix(repo.Root)}
	abs := a.Join(p)
	st, err := os.Stat(abs)
	if err != nil || !st.IsDir() {
		return "", false
	}
	rel, ok := repo.Rel(abs)
	if !ok {
		return "", false
	}
	return rel, true
}

// ClusterName names a cluster after its folder, less a leading "clusters/".
func ClusterName(dir string) string {
	if name, ok := strings.CutPrefix(dir, "clusters/"); ok && !strings.Contains(name, "/") {
		return name
	}
	return dir
}

// isLocalDir reports whether a Flux path names a folder of the repository
// (localDir).
func isLocalDir(repo *source.Repo, p string) bool {
	_, ok := localDir(repo, p)
	return ok
}
