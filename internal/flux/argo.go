package flux

import (
	"path"
	"slices"

	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// ArgoCDFile returns the file of an Argo CD Application, ApplicationSet or
// AppProject of the repository (as an object, or in a Helm chart's
// template: Argo CD's app of apps) when it holds one and nothing that deploys
// a folder of it with Flux: no Flux Kustomization whose spec.path is a
// folder here, no Flux Operator object. Such a repository is one Argo CD
// applies: its folders under clusters/ and kustomize overlays say nothing
// of what Flux would do, and a Flux object it holds elsewhere (an example
// under contrib/ syncing a folder that does not exist) deploys none of
// them. It returns "" otherwise.
func ArgoCDFile(repo *source.Repo) string {
	argo := ""
	flux := false
	_ = repo.WalkYAML(nil, func(rel string) {
		if flux {
			return
		}
		if repo.Mentions(rel, "toolkit.fluxcd.io/") || repo.Mentions(rel, model.GroupOperator+"/") {
			flux = deploysWithFlux(repo, rel)
		}
		if argo == "" && repo.Mentions(rel, "argoproj.io/") && (argoCDObject(repo, rel) || argoCDTemplate(repo, rel)) {
			argo = rel
		}
	})
	if flux {
		return ""
	}
	return argo
}

// deploysWithFlux reports whether a file holds a Flux Kustomization that
// builds a folder of this repository, or a Flux Operator object.
func deploysWithFlux(repo *source.Repo, rel string) bool {
	f, err := repo.File(rel)
	if err != nil {
		return false
	}
	for _, d := range f.Docs {
		if model.Group(d.Str("apiVersion")) == model.GroupOperator || isLocalKustomization(repo, d) {
			return true
		}
	}
	return false
}

// RendersFlux reports whether a cluster's renders hold a Flux or Flux
// Operator object. A cluster restored from the result cache, whose
// objects are not loaded, counts as one: it was checked, not refused, when
// it was cached, and its inputs have not changed since.
func RendersFlux(c *model.Cluster) bool {
	if c.Restored != nil {
		return true
	}
	for _, o := range c.Objects {
		if group := model.Group(o.Ref.APIVersion); model.IsFluxGroup(group) || group == model.GroupOperator {
			return true
		}
	}
	return false
}

// argoCDObject reports whether a file holds an Argo CD Application,
// ApplicationSet or AppProject (not another argoproj.io kind: Argo
// Rollouts, Workflows and Events run beside Flux too).
func argoCDObject(repo *source.Repo, rel string) bool {
	f, err := repo.File(rel)
	if err != nil {
		return false
	}
	for _, d := range f.Docs {
		switch d.Str("kind") {
		case "Application", "ApplicationSet", "AppProject":
			if model.Group(d.Str("apiVersion")) == "argoproj.io" {
				return true
			}
		}
	}
	return false
}

// argoCDTemplate reports whether a template of a Helm chart (a file below
// the templates folder of a folder with a Chart.yaml) writes an Argo CD
// Application, ApplicationSet or AppProject: the app-of-apps chart that
// Argo CD renders, whose template directives keep it from parsing as
// objects.
func argoCDTemplate(repo *source.Repo, rel string) bool {
	if !repo.Mentions(rel, "kind: Application") && !repo.Mentions(rel, "kind: AppProject") {
		return false
	}
	for d := path.Dir(rel); d != "." && d != "/"; d = path.Dir(d) {
		if path.Base(d) != "templates" {
			continue
		}
		if _, err := repo.File(path.Join(path.Dir(d), chartFile)); err == nil {
			return true
		}
	}
	return false
}

// DropNonFluxFolders drops the clusters found as folders under a
// clusters/ folder (a guess: flux bootstrap's entries hold flux-system)
// whose renders hold no Flux object, when another cluster renders Flux
// ones: such a folder is not where Flux enters a cluster. A repository
// that Flux and Argo CD share keeps Argo CD's clusters there, and an app
// may keep its CloudNativePG clusters in a clusters/ folder of its own
// (apps/db/pg/clusters/enc, one of them switched off); what they hold says
// nothing of what Flux applies. It keeps the order of the rest; a
// repository with no Flux cluster is left to the refusal of Argo CD
// repositories and to the check of its overlays.
func DropNonFluxFolders(clusters []*model.Cluster, rendersFlux func(*model.Cluster) bool) []*model.Cluster {
	if !slices.ContainsFunc(clusters, rendersFlux) {
		return clusters
	}
	return slices.DeleteFunc(slices.Clone(clusters), func(c *model.Cluster) bool {
		return c.Via == model.ViaClusters && !rendersFlux(c)
	})
}
