package flux

import (
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// ArgoCDOnly returns the file of an Argo CD Application, ApplicationSet or
// AppProject when the repository holds one and no Flux or Flux Operator
// object at all: a repository that Argo CD applies, whose folders under
// clusters/ and kustomize overlays say nothing of what Flux would do. It
// returns "" otherwise.
func ArgoCDOnly(repo *source.Repo) string {
	argo := ""
	flux := false
	_ = repo.WalkYAML(nil, func(rel string) {
		if flux {
			return
		}
		if repo.Mentions(rel, "toolkit.fluxcd.io/") || repo.Mentions(rel, model.GroupOperator+"/") {
			flux = hasGroup(repo, rel, func(group string) bool { return model.IsFluxGroup(group) || group == model.GroupOperator })
		}
		if argo == "" && repo.Mentions(rel, "argoproj.io/") && argoCDObject(repo, rel) {
			argo = rel
		}
	})
	if flux {
		return ""
	}
	return argo
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

// hasGroup reports whether a file holds an object of an API group that
// is chosen.
func hasGroup(repo *source.Repo, rel string, chosen func(string) bool) bool {
	f, err := repo.File(rel)
	if err != nil {
		return false
	}
	for _, d := range f.Docs {
		if chosen(model.Group(d.Str("apiVersion"))) {
			return true
		}
	}
	return false
}
