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
		if x.Via != model.ViaOrphan || !switchedOff(repo, x, byOthers) && !archivedCopy(repo, x, clusters) {
			kept = append(kept, x)
		}
	}
	return kept
}

// archivedCopy reports whether every root Kustomization of an orphan
// cluster is a copy of one in a tree that another cluster deploys: the
// same name and spec.path (and namespace, when the other's file writes
// one), in a file that cluster's renders read, or that the kustomization
// file above it leaves out (an app switched off there). Flux applies that
// one or nothing; the copy, kept in an archive folder beside the app's old
// manifests, is applied by nothing, so its folder is no cluster (two
// clusters that share an app folder give their roots names of their own,
// and those roots are applied by hand or at bootstrap). It looks at the
// files the clusters read, which outlive their objects.
//
// Two orphan clusters whose roots are each a copy of the other's (the
// alternative roots of one cluster, a script or a FluxInstance whose sync
// path a placeholder names choosing one at bootstrap) are no archive of
// each other: neither is dropped for the other.
func archivedCopy(repo *source.Repo, x *model.Cluster, clusters []*model.Cluster) bool {
	deploys := func(c *model.Cluster) bool {
		return c != x && copiesDeployed(repo, x, c) && (c.Via != model.ViaOrphan || !copiesDeployed(repo, c, x))
	}
	return copiesDeployedBy(repo, x, func(d *source.Document) bool {
		return slices.ContainsFunc(clusters, func(c *model.Cluster) bool { return deploys(c) && copyDeployed(repo, d, c) })
	})
}

// copiesDeployed reports whether c deploys a copy of every root
// Kustomization of x (copyDeployed); false when x has none.
func copiesDeployed(repo *source.Repo, x, c *model.Cluster) bool {
	return copiesDeployedBy(repo, x, func(d *source.Document) bool { return copyDeployed(repo, d, c) })
}

// copiesDeployedBy reports whether every root Kustomization of x is
// deployed by what deployed says; false when x has none.
func copiesDeployedBy(repo *source.Repo, x *model.Cluster, deployed func(*source.Document) bool) bool {
	roots := rootKustomizations(repo, x.Path)
	if len(roots) == 0 {
		return false
	}
	for _, d := range roots {
		if !deployed(d) {
			return false
		}
	}
	return true
}

// copyDeployed reports whether a file that c's renders read holds a copy
// of the root Kustomization d, or one that the kustomization file above it
// leaves out.
func copyDeployed(repo *source.Repo, d *source.Document, c *model.Cluster) bool {
	read := func(f string) bool { _, ok := slices.BinarySearch(c.FilesRead, f); return ok }
	return slices.ContainsFunc(copiesOf(repo, d), func(rel string) bool { return read(rel) || leftOutOfRead(repo, rel, read) })
}

// copiesOf returns the other files of the repository that hold a Flux
// Kustomization of a document's name and spec.path, in its namespace or
// in none written.
func copiesOf(repo *source.Repo, d *source.Document) []string {
	ns, name, p := d.Str("metadata", "namespace"), d.Str("metadata", "name"), path.Clean("/"+d.Str("spec", "path"))
	var out []string
	_ = walkRoot(repo, func(rel string) {
		if rel == d.File.Path || !repo.Mentions(rel, name) || !repo.Mentions(rel, model.GroupKustomize) {
			return
		}
		f, err := repo.File(rel)
		if err != nil {
			return
		}
		for _, o := range f.Docs {
			if other := o.Str("metadata", "namespace"); (other == "" || other == ns) && o.Str("metadata", "name") == name &&
				path.Clean("/"+o.Str("spec", "path")) == p && isLocalKustomization(repo, o) {
				out = append(out, rel)
				return
			}
		}
	})
	return out
}

// rootKustomizations returns the local Flux Kustomizations of the files of
// an orphan cluster's entry folder: its roots.
func rootKustomizations(repo *source.Repo, dir string) []*source.Document {
	entries, err := os.ReadDir(repo.Abs(dir))
	if err != nil {
		return nil
	}
	var out []*source.Document
	for _, e := range entries {
		rel := path.Join(dir, e.Name())
		if e.IsDir() || !source.IsYAMLName(rel) {
			continue
		}
		f, err := repo.File(rel)
		if err != nil {
			continue
		}
		for _, d := range f.Docs {
			if isLocalKustomization(repo, d) {
				out = append(out, d)
			}
		}
	}
	return out
}

// switchedOff reports whether every root Kustomization of an orphan
// cluster (the local Flux Kustomizations of its entry folder's files) is
// left out of a tree that read holds.
func switchedOff(repo *source.Repo, x *model.Cluster, read func(string) bool) bool {
	roots := rootKustomizations(repo, x.Path)
	for _, d := range roots {
		if rel := d.File.Path; read(rel) || !leftOutOfRead(repo, rel, read) {
			return false
		}
	}
	return len(roots) > 0
}
