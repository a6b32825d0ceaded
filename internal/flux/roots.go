package flux

import (
	"os"
	"path"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"

	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// Orphans finds Flux Kustomizations of this repository that no render of a
// known cluster produces: the roots of clusters laid out in other ways. A
// Kustomization counts when its spec.path names a folder of this
// repository, whatever its source is called (a cluster's sync source may
// have any name). Each becomes a cluster whose entry is the folder of its
// file. read holds the repository files the known clusters' renders read.
func Orphans(repo *source.Repo, read map[string]bool) ([]Entry, error) {
	dirs := map[string]bool{}
	err := walkRoot(repo, func(rel string) {
		if read[rel] || !repo.Mentions(rel, model.GroupKustomize) {
			return
		}
		f, err := repo.File(rel)
		if err != nil || templated(f) {
			return
		}
		for _, d := range f.Docs {
			if isLocalKustomization(repo, d) && !model.CommentedOut(repo, rel) && !leftOutOfRead(repo, rel, func(f string) bool { return read[f] }) &&
				!inComponent(repo, rel) {
				dirs[path.Dir(rel)] = true
			}
		}
	})
	if err != nil {
		return nil, err
	}
	var out []Entry
	for d := range dirs {
		if !hidden(d) {
			out = append(out, Entry{Name: d, Path: d, Via: model.ViaOrphan})
		}
	}
	slices.SortFunc(out, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	return out, nil
}

// templated reports whether a file is a template that a script fills in
// before it is applied: a source of its own whose URL holds a variable
// (${BOOTSTRAP_GITHUB_REPOSITORY}). A root Kustomization applied by hand
// is not substituted, so Flux never reads such a file as it is.
func templated(f *source.File) bool {
	for _, d := range f.Docs {
		switch d.Str("kind") {
		case "GitRepository", "OCIRepository", "Bucket":
			if strings.Contains(d.Str("spec", "url"), "${") {
				return true
			}
		}
	}
	return false
}

// leftOutOfRead reports whether the kustomization file nearest above rel
// (in its folder or the first folder up that has one) is one a known
// cluster's render read: rel then lies in a tree that cluster deploys,
// whose kustomization leaves it out on purpose (an app switched off by
// taking it off the resources list), so it is no cluster's root. So it is
// when that file is read by none and a kustomization file further up,
// below the repository's root, is: the whole folder of that nearest file
// is taken off the resources list of the one read (a namespace folder
// switched off). The repository root's own kustomization says nothing of
// its folders' roles.
func leftOutOfRead(repo *source.Repo, rel string, read func(string) bool) bool {
	for first := true; ; first = false {
		k, ok := nearestKustomization(repo, rel)
		if !ok || !first && path.Dir(k) == "." {
			return false
		}
		if read(k) {
			return true
		}
		if path.Dir(k) == "." {
			return false
		}
		rel = path.Dir(k)
	}
}

// inComponent reports whether the kustomization file nearest above rel (in
// its folder or the first folder up that has one) is a kustomize Component:
// a part that other kustomizations include through components:, written
// to be built inside a cluster's overlay, never as a cluster's root. While
// no cluster includes it, what it needs from the overlays that would (their
// substituteFrom ConfigMaps, their namespaces) is unknown, so it is no
// cluster of its own.
func inComponent(repo *source.Repo, rel string) bool {
	k, ok := nearestKustomization(repo, rel)
	if !ok {
		return false
	}
	f, err := repo.File(k)
	return err == nil && len(f.Docs) > 0 && f.Docs[0].Str("kind") == "Component"
}

// nearestKustomization returns the kustomization file nearest above rel:
// in its folder, or the first folder up that has one.
func nearestKustomization(repo *source.Repo, rel string) (string, bool) {
	for d := path.Dir(rel); ; d = path.Dir(d) {
		for _, name := range konfig.RecognizedKustomizationFileNames() {
			k := path.Join(d, name)
			if _, err := os.Stat(repo.Abs(k)); err == nil {
				return k, true
			}
		}
		if d == "." || d == "/" {
			return "", false
		}
	}
}

// isLocalKustomization reports whether a document is a Flux Kustomization
// that builds a folder of this repository from a repository source.
func isLocalKustomization(repo *source.Repo, d *source.Document) bool {
	if d.Str("kind") != "Kustomization" || model.Group(d.Str("apiVersion")) != model.GroupKustomize {
		return false
	}
	switch d.Str("spec", "sourceRef", "kind") {
	case "", "GitRepository", "OCIRepository", "Bucket":
	default:
		return false
	}
	p := d.Str("spec", "path")
	if strings.Contains(p, "${") {
		return false
	}
	return isLocalDir(repo, p) && !rootOfOtherSource(d.Object())
}

// rootOfOtherSource reports whether a Kustomization builds the root folder
// of a source other than flux bootstrap's flux-system: every repository has
// a root, so that path says nothing of whether the source is this
// repository (Flux's own flux-manifests artifact, or a project's Git
// repository filtered by spec.ignore, is applied so), while a subfolder
// that exists here does.
func rootOfOtherSource(content map[string]any) bool {
	if path.Clean("/"+str(content, "spec", "path")) != "/" {
		return false
	}
	kind := str(content, "spec", "sourceRef", "kind")
	bootstrap := (kind == "" || kind == "GitRepository") && str(content, "spec", "sourceRef", "name") == "flux-system"
	return !bootstrap
}

// hidden reports whether a folder of the repository is, or is inside, a
// folder whose name starts with a dot (.archive, .github): kept out of
// sight on purpose, so what it holds is not deployed.
func hidden(dir string) bool {
	for _, part := range strings.Split(dir, "/") {
		if strings.HasPrefix(part, ".") && part != "." && part != ".." {
			return true
		}
	}
	return false
}

// Prune drops the clusters that are parts of another: a cluster whose entry
// folder's files another cluster's render read, when it does not read that
// other's in turn. It repeats until nothing changes, since a dropped
// cluster's reads no longer count, and keeps the order of the rest.
func Prune(clusters []*model.Cluster) (kept, dropped []*model.Cluster) {
	kept = slices.Clone(clusters)
	for {
		var parts, rest []*model.Cluster
		for _, x := range kept {
			if reachedBy(x, kept) != nil {
				parts = append(parts, x)
			} else {
				rest = append(rest, x)
			}
		}
		if len(parts) == 0 {
			return kept, dropped
		}
		// A cluster that only parts of others reach waits for the next
		// round: those parts drop now, and may have been its only
		// reachers (an orphan tenant sync whose spec.path is a cluster's
		// folder by chance is a part of its tenant overlay).
		drop := slices.DeleteFunc(slices.Clone(parts), func(x *model.Cluster) bool { return reachedBy(x, rest) == nil })
		if len(drop) == 0 {
			drop = parts
		}
		kept = slices.DeleteFunc(kept, func(x *model.Cluster) bool { return slices.Contains(drop, x) })
		dropped = append(dropped, drop...)
	}
}

// reachedBy returns a cluster of others that reaches x without x reaching
// it, or nil. A bootstrap that another supersedes reaches nothing, and is
// reached by that other.
func reachedBy(x *model.Cluster, others []*model.Cluster) *model.Cluster {
	for _, y := range others {
		if y == x || supersedes(x, y) {
			continue
		}
		if supersedes(y, x) || reaches(y, x) && (!reaches(x, y) || rootOver(y, x)) {
			return y
		}
	}
	return nil
}

// BootstrapSyncs returns the flux bootstrap sync files of the bootstrap
// clusters among clusters. Those of the clusters Prune drops are no
// orphans: a stale root bootstrap that another supersedes is applied by
// nothing, and the sync of one that is a part of another is that other's.
func BootstrapSyncs(clusters []*model.Cluster) []string {
	var out []string
	for _, c := range clusters {
		if c.Via == model.ViaBootstrap {
			out = append(out, path.Join(c.Path, bootstrapSync))
		}
	}
	return out
}

// supersedes reports whether bootstrap y replaces bootstrap x: x's build
// takes in y's flux-system/gotk-sync.yaml, which names the Kustomization
// that x's names (flux bootstrap's flux-system/flux-system) with y's path,
// and y's build does not take in x's. Applied, x's sync would replace
// itself with y's, or fail on the objects both define: a repository
// bootstrapped at its root first and again with --path leaves such a stale
// root, whose build holds the live cluster.
func supersedes(y, x *model.Cluster) bool {
	if x.Via != model.ViaBootstrap || y.Via != model.ViaBootstrap || x.Path == y.Path {
		return false
	}
	_, xReadsY := slices.BinarySearch(x.FilesRead, path.Join(y.Path, bootstrapSync))
	_, yReadsX := slices.BinarySearch(y.FilesRead, path.Join(x.Path, bootstrapSync))
	return xReadsY && !yReadsX
}

// rootOver reports whether, of two orphan clusters that read each other,
// y is the root and x a part of its tree. When only one of them read files
// of the other's entry folder itself (where an orphan's root
// Kustomizations lie, not its subfolders), that one builds the other's
// root: kubernetes/ks.yaml applied by hand, building ./kubernetes, reads
// every app's kubernetes/<ns>/<app>/ks.yaml, which reads only the app's
// own folders. Otherwise the narrower orphan is the root (broaderOrphan).
func rootOver(y, x *model.Cluster) bool {
	if x.Via != model.ViaOrphan || y.Via != model.ViaOrphan {
		return false
	}
	if a, b := readsEntryFiles(y, x), readsEntryFiles(x, y); a != b {
		return a
	}
	return broaderOrphan(x, y)
}

// readsEntryFiles reports whether y's render read a file that lies in x's
// entry folder itself, not in a subfolder of it.
func readsEntryFiles(y, x *model.Cluster) bool {
	return slices.ContainsFunc(y.FilesRead, func(f string) bool { return path.Dir(f) == x.Path })
}

// broaderOrphan reports whether, of two orphan clusters that read each
// other, x is the folder that holds y: y is then the folder of the root
// Kustomization applied by hand, and x a folder that Kustomization builds
// (kubernetes/flux/config beside kubernetes/flux).
func broaderOrphan(x, y *model.Cluster) bool {
	return x.Via == model.ViaOrphan && y.Via == model.ViaOrphan && inFolder(y.Path, x.Path)
}

// reaches reports whether y's render read a file of x's entry folder that
// x's render read too, or any file of that folder when x's render read
// none of them (its build failed, say on a remote base offline). A file of
// y's own entry folder, when that folder lies inside x's, does not count
// when x's render read files of its own: y reading its own entry says
// nothing of reaching the folder around it (kubernetes/flux/cluster inside
// the kubernetes/flux that a FluxInstance syncs).
func reaches(y, x *model.Cluster) bool {
	if y.Path == x.Path {
		return false
	}
	nested := inFolder(y.Path, x.Path)
	own := false
	for _, f := range x.FilesRead {
		if !inFolder(f, x.Path) {
			continue
		}
		own = true
		if nested && inFolder(f, y.Path) {
			continue
		}
		if _, ok := slices.BinarySearch(y.FilesRead, f); ok {
			return true
		}
	}
	return !own && slices.ContainsFunc(y.FilesRead, func(f string) bool { return inFolder(f, x.Path) })
}

// inFolder reports whether a repository path lies in a folder.
func inFolder(rel, dir string) bool {
	return dir == "." || dir == "" || strings.HasPrefix(rel, dir+"/")
}
