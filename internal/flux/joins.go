package flux

import (
	"slices"

	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// Joins finds the orphan clusters that are parts of another cluster, and
// returns, for each, the cluster it joins. An orphan's root Kustomizations
// are applied by hand; they go where the source they all name exists. When
// a file the orphan's render read defines that source, and exactly one
// other cluster read a Flux Kustomization that names the source while none
// of the files it read defines it, both are applied to that one cluster, as a bootstrap script applies them (TrueCharts'
// clustertool applies repositories/flux-entry.yaml, whose folder makes the
// GitRepository and the chart repositories, beside
// clusters/main/kubernetes/flux-entry.yaml, which builds the apps from that
// GitRepository). flux-system, the name flux bootstrap gives every
// cluster's source, says nothing of which cluster, so an orphan whose roots
// name it joins none. Clusters are compared by the files they read, which
// a cluster released after its checks keeps.
func Joins(repo *source.Repo, clusters []*model.Cluster) map[*model.Cluster]*model.Cluster {
	out := map[*model.Cluster]*model.Cluster{}
	for _, o := range clusters {
		if o.Via != model.ViaOrphan {
			continue
		}
		src, ok := rootsSource(repo, o.Path)
		if !ok || src[2] == "flux-system" || !definesIn(repo, o.FilesRead, src) {
			continue
		}
		var joined *model.Cluster
		n := 0
		for _, m := range clusters {
			if m == o {
				continue
			}
			if !namesIn(repo, m.FilesRead, src) || definesIn(repo, m.FilesRead, src) {
				continue
			}
			joined = m
			n++
		}
		if n == 1 {
			out[o] = joined
		}
	}
	return out
}

// rootsSource returns the source (kind, namespace, name) that every root
// Kustomization of a folder names; ok is false when they name different
// ones or there is none.
func rootsSource(repo *source.Repo, dir string) ([3]string, bool) {
	var src [3]string
	roots := rootKustomizations(repo, dir)
	for i, d := range roots {
		s := sourceOf(d.Object())
		if i > 0 && s != src {
			return src, false
		}
		src = s
	}
	return src, len(roots) > 0 && src[2] != ""
}

// sourceOf returns the source a Flux Kustomization's sourceRef names, with
// Flux's defaults: kind GitRepository and the Kustomization's namespace.
func sourceOf(content map[string]any) [3]string {
	kind, ns, name := model.SourceRefIn(content, str(content, "metadata", "namespace"))
	return [3]string{kind, ns, name}
}

// namesIn reports whether one of files holds a Flux Kustomization whose
// sourceRef names a source.
func namesIn(repo *source.Repo, files []string, src [3]string) bool {
	return slices.ContainsFunc(files, func(rel string) bool {
		if !source.IsYAMLName(rel) || !repo.Mentions(rel, model.GroupKustomize) {
			return false
		}
		f, err := repo.File(rel)
		return err == nil && slices.ContainsFunc(f.Docs, func(d *source.Document) bool {
			return d.Str("kind") == "Kustomization" && model.Group(d.Str("apiVersion")) == model.GroupKustomize && sourceOf(d.Object()) == src
		})
	})
}

// definesIn reports whether one of files defines a source: a document of
// its kind, namespace and name.
func definesIn(repo *source.Repo, files []string, src [3]string) bool {
	for _, rel := range files {
		if !source.IsYAMLName(rel) || !repo.Mentions(rel, model.GroupSource) {
			continue
		}
		f, err := repo.File(rel)
		if err != nil {
			continue
		}
		for _, d := range f.Docs {
			if d.Str("kind") == src[0] && model.Group(d.Str("apiVersion")) == model.GroupSource &&
				d.Str("metadata", "name") == src[2] && d.Str("metadata", "namespace") == src[1] {
				return true
			}
		}
	}
	return false
}
