package affect

import (
	"os"
	"path"
	"sort"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"

	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/source"
)

// A walker works out the reach of one cluster.
type walker struct {
	repo  *source.Repo
	yamls []string // every YAML file of the repository, sorted
	r     *Reach
	// fluxDirs, kustDirs and scanned are the folders built as Flux
	// Kustomization paths, the kustomize folders and the files whose
	// documents were read, so that each is visited once.
	fluxDirs, kustDirs, scanned map[string]bool
	// kustFiles memoizes kustFile.
	kustFiles map[string]string
	// gitRepos and generators are the GitRepositories and
	// ArtifactGenerators found; gitPaths and externals the paths in
	// GitRepositories other than flux-system and in ExternalArtifacts,
	// followed once the cluster's own files are read.
	gitRepos, generators []*source.Document
	gitPaths, externals  []pathIn
	// self holds the normalised URLs of this repository.
	self map[string]bool
}

// Compute returns the reach of the cluster whose entry folder is dir.
func Compute(repo *source.Repo, dir string, opts Options) (*Reach, error) {
	idx, err := newIndex(repo, opts)
	if err != nil {
		return nil, err
	}
	return idx.compute(dir), nil
}

// An index is what the reaches of all clusters share.
type index struct {
	repo  *source.Repo
	yamls []string        // every YAML file of the repository, sorted
	self  map[string]bool // normalised URLs of this repository
	// selfFiles hold the flux-system GitRepositories that give self.
	selfFiles map[string]bool
}

// newIndex lists the YAML files of the repository and its URLs: those of
// opts and of the flux-system GitRepositories that flux bootstrap wrote
// anywhere in it, as fluxlint's renders take them.
func newIndex(repo *source.Repo, opts Options) (*index, error) {
	idx := &index{repo: repo, self: map[string]bool{}, selfFiles: map[string]bool{}}
	for _, u := range opts.SelfURLs {
		idx.self[flux.NormalizeURL(u)] = true
	}
	err := repo.WalkYAML(nil, func(rel string) { idx.yamls = append(idx.yamls, rel) })
	if err != nil {
		return nil, err
	}
	sort.Strings(idx.yamls)
	for _, rel := range idx.yamls {
		f, err := repo.File(rel)
		if err != nil {
			continue
		}
		for _, d := range f.Docs {
			if d.Str("kind") == "GitRepository" && d.Str("metadata", "name") == "flux-system" && d.Str("metadata", "namespace") == "flux-system" {
				idx.self[flux.NormalizeURL(d.Str("spec", "url"))] = true
				idx.selfFiles[rel] = true
			}
		}
	}
	return idx, nil
}

func (idx *index) compute(dir string) *Reach {
	w := &walker{
		repo: idx.repo, yamls: idx.yamls, self: idx.self,
		r:        &Reach{Files: map[string]bool{}, Dirs: map[string]bool{}},
		fluxDirs: map[string]bool{}, kustDirs: map[string]bool{}, scanned: map[string]bool{},
		kustFiles: map[string]string{},
	}
	// The cluster folder is built as flux-system's Kustomization builds
	// it; every file under it counts, whatever the build reads.
	dir = path.Clean(dir)
	w.r.Dirs[dir] = true
	w.fluxPath(dir)
	w.resolveSources()
	return w.r
}

// unresolved gives up: any change affects the cluster.
func (w *walker) unresolved(reason string) {
	if !w.r.All {
		w.r.All, w.r.Reason = true, reason
	}
}

// join resolves p against the repository folder dir, and reports false
// when the result leaves the repository or p is a URL.
func join(dir, p string) (string, bool) {
	if p == "" || strings.Contains(p, "://") || strings.HasPrefix(p, "git@") || strings.HasPrefix(p, "github.com/") {
		return "", false
	}
	if path.IsAbs(p) {
		return "", false
	}
	out := path.Join(dir, p)
	if out == ".." || strings.HasPrefix(out, "../") {
		return "", false
	}
	return out, true
}

// kind reports whether the repository path rel is a folder, a file, or
// neither.
func (w *walker) kind(rel string) (isDir, exists bool) {
	info, err := os.Stat(w.repo.Abs(rel))
	if err != nil {
		return false, false
	}
	return info.IsDir(), true
}

// kustFile returns the kustomization file of the folder dir, or "".
func (w *walker) kustFile(dir string) string {
	if f, ok := w.kustFiles[dir]; ok {
		return f
	}
	found := ""
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		p := path.Join(dir, name)
		if info, err := os.Stat(w.repo.Abs(p)); err == nil && info.Mode().IsRegular() {
			found = p
			break
		}
	}
	w.kustFiles[dir] = found
	return found
}

// fluxPath visits a folder that a Flux Kustomization builds: its
// kustomization file, or else every YAML file below it, as Flux generates
// a kustomization.yaml that lists them.
func (w *walker) fluxPath(dir string) {
	if w.r.All || w.fluxDirs[dir] {
		return
	}
	w.fluxDirs[dir] = true
	if isDir, _ := w.kind(dir); !isDir {
		// A missing folder: the render reports it; creating it or a file
		// in it changes the render.
		w.r.Dirs[dir] = true
		return
	}
	if w.kustFile(dir) != "" {
		w.kustomize(dir)
		return
	}
	w.r.Dirs[dir] = true
	for _, f := range w.under(dir) {
		// A subfolder with a kustomization file is built by kustomize;
		// other files are resources of the generated kustomization.
		if k := w.kustomizeAncestor(dir, path.Dir(f)); k != "" {
			w.kustomize(k)
			continue
		}
		w.scan(f)
	}
}

// under returns the YAML files below the folder dir.
func (w *walker) under(dir string) []string {
	if dir == "." {
		return w.yamls
	}
	prefix := dir + "/"
	i := sort.SearchStrings(w.yamls, prefix)
	j := i
	for j < len(w.yamls) && strings.HasPrefix(w.yamls[j], prefix) {
		j++
	}
	return w.yamls[i:j]
}

// kustomizeAncestor returns the outermost folder strictly below top, down
// to dir, that has a kustomization file, or "".
func (w *walker) kustomizeAncestor(top, dir string) string {
	var chain []string
	for d := dir; d != top && d != "." && d != "/"; d = path.Dir(d) {
		chain = append(chain, d)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		if w.kustFile(chain[i]) != "" {
			return chain[i]
		}
	}
	return ""
}
