package flux

import (
	"os"
	"path"
	"slices"

	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// DropSwitchedOff drops the orphan clusters whose root Kustomizations lie
// in a tree that another of the clusters deploys and whose kustomization
// file leaves them out (leftOutOfRead): an app taken off its namespace's
// resources list is switched off, not the root of a cluster. Orphans
// searches with the reads of the clusters found before the orphans; this
// looks again once the orphans are rendered, since a repository whose
// clusters are all found as orphans (a root Kustomization applied by hand)
// deploys its apps from one of them. It keeps the order of the rest.
func DropSwitchedOff(repo *source.Repo, clusters []*model.Cluster) []*model.Cluster {
	readers := map[string]int{}
	for _, c := range clusters {
		for _, f := range c.FilesRead {
			readers[f]++
		}
	}
	var kept []*model.Cluster
	for _, x := range clusters {
		// Whether a cluster other than x read a file: x's FilesRead are
		// sorted.
		byOthers := func(f string) bool {
			n := readers[f]
			if _, own := slices.BinarySearch(x.FilesRead, f); own {
				n--
			}
			return n > 0
		}
		if x.Via != model.ViaOrphan || !switchedOff(repo, x, byOthers) {
			kept = append(kept, x)
		}
	}
	return kept
}

// switchedOff reports whether every root Kustomization of an orphan
// cluster (the local Flux Kustomizations of its entry folder's files) is
// left out of a tree that read holds.
func switchedOff(repo *source.Repo, x *model.Cluster, read func(string) bool) bool {
	entries, err := os.ReadDir(repo.Abs(x.Path))
	if err != nil {
		return false
	}
	roots := 0
	for _, e := range entries {
		rel := path.Join(x.Path, e.Name())
		if e.IsDir() || !source.IsYAMLName(rel) {
			continue
		}
		f, err := repo.File(rel)
		if err != nil {
			continue
		}
		for _, d := range f.Docs {
			if !isLocalKustomization(repo, d) {
				continue
			}
			if roots++; read(rel) || !leftOutOfRead(repo, rel, read) {
				return false
			}
		}
	}
	return roots > 0
}
