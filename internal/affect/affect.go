package affect

import (
	"path"
	"strings"

	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/source"
)

// A Reach is the set of repository files a cluster's render may read.
type Reach struct {
	// All is set when the reach could not be worked out: any change
	// affects the cluster. Reason says why.
	All    bool
	Reason string
	// Files are single files, Dirs whole folders ("." is the repository),
	// as slash-separated repository paths.
	Files map[string]bool
	Dirs  map[string]bool
}

// Affects reports whether a change of the repository file rel affects the
// cluster.
func (r *Reach) Affects(rel string) bool {
	if r.All || r.Files[rel] {
		return true
	}
	for d := path.Dir(rel); ; d = path.Dir(d) {
		if r.Dirs[d] {
			return true
		}
		if d == "." || d == "/" {
			return false
		}
	}
}

// Options tune Select.
type Options struct {
	// Global are repository paths, files or folders, whose change affects
	// every cluster: the configuration file, policies and their data,
	// CRD files, schema folders.
	Global []string
	// SelfURLs are URLs of this repository besides those of the
	// flux-system GitRepositories: its Git remotes, and the sources that
	// the configuration maps to it. A GitRepository with another URL is not
	// rendered, so the paths in it reach nothing.
	SelfURLs []string
}

// Select returns the entries that a change of any of the changed files
// (slash-separated repository paths) affects, in the order of entries. A
// change of a Global path, of any .sourceignore file or of a file with a
// flux-system GitRepository (its URL is this repository's) affects all; a
// file that no cluster reaches, such as README.md, affects none.
func Select(repo *source.Repo, entries []flux.Entry, changed []string, opts Options) ([]flux.Entry, error) {
	for _, c := range changed {
		if isGlobal(c, opts.Global) {
			return entries, nil
		}
	}
	if len(changed) == 0 {
		return nil, nil
	}
	idx, err := newIndex(repo, opts)
	if err != nil {
		return nil, err
	}
	for _, c := range changed {
		// Which GitRepositories are this repository depends on these.
		if idx.selfFiles[c] {
			return entries, nil
		}
	}
	var out []flux.Entry
	for _, e := range entries {
		r := idx.compute(e.Path)
		for _, c := range changed {
			if r.Affects(c) {
				out = append(out, e)
				break
			}
		}
	}
	return out, nil
}

// isGlobal reports whether a change of rel affects every cluster.
func isGlobal(rel string, global []string) bool {
	if path.Base(rel) == ".sourceignore" {
		return true
	}
	for _, g := range global {
		g = path.Clean(g)
		if g == "." || rel == g || strings.HasPrefix(rel, g+"/") {
			return true
		}
	}
	return false
}
