package flux

import (
	"slices"

	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// DropUnsourced drops the orphan clusters that lie in a folder that a Flux
// Kustomization of another cluster builds (its spec.path, a folder of this
// repository) but could not render because its sourceRef names a
// GitRepository that cluster does not define (flux-source-missing, a
// misspelt name of this repository's source): the folder is that
// cluster's, whose sources and variables its Kustomizations use, not a
// cluster of its own, and Flux applies nothing there until the sourceRef
// is fixed, which that finding says. It keeps the order of the rest.
func DropUnsourced(repo *source.Repo, clusters []*model.Cluster) []*model.Cluster {
	type folder struct {
		dir string
		by  *model.Cluster
	}
	var folders []folder
	for _, c := range clusters {
		for _, g := range c.Gaps {
			if g.Kind != model.NotBuilt || g.Rule != RuleSourceMissing {
				continue
			}
			i := slices.IndexFunc(c.Objects, func(o *model.Object) bool {
				return o.Ref == g.Object && model.IsKind(o, model.GroupKustomize, "Kustomization")
			})
			if i < 0 {
				continue
			}
			if kind, _, _ := model.SourceRef(c.Objects[i]); kind != "GitRepository" {
				continue
			}
			// The root of an unknown source says nothing of this
			// repository's folders.
			if dir, ok := localDir(repo, str(c.Objects[i].Content, "spec", "path")); ok && dir != "." {
				folders = append(folders, folder{dir: dir, by: c})
			}
		}
	}
	if len(folders) == 0 {
		return clusters
	}
	return slices.DeleteFunc(slices.Clone(clusters), func(x *model.Cluster) bool {
		return x.Via == model.ViaOrphan && slices.ContainsFunc(folders, func(f folder) bool {
			return f.by != x && (x.Path == f.dir || inFolder(x.Path, f.dir))
		})
	})
}
