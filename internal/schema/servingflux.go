package schema

import (
	"strings"

	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/schemas"
)

// servingFlux returns, for a cluster whose files name no Flux version, the
// newest embedded Flux release that serves every apiVersion and kind of
// Flux's controllers that the cluster's objects use, when the newest
// release does not: Flux applies all of them, so a cluster that runs
// them runs a release that serves them (an old repository's v1beta1
// Kustomizations are deprecated there, not refused). It returns "" when
// the newest release serves them all, or when no release serves them all
// (a kind of no release, a mix no release serves), which leaves the
// newest.
func servingFlux(objs []*model.Object) string {
	b, err := loadBundle(schemas.FluxBundle)
	if err != nil || len(b.Releases) == 0 {
		return ""
	}
	used := map[gvk]bool{}
	for _, o := range objs {
		group, version, ok := strings.Cut(o.Ref.APIVersion, "/")
		if ok && strings.HasSuffix(group, ".fluxcd.io") {
			used[gvk{group: group, version: version, kind: o.Ref.Kind}] = true
		}
	}
	serves := func(r fluxRelease) bool {
		served := map[gvk]bool{}
		for _, k := range r.Kinds {
			if k.Served {
				served[gvk{group: k.Group, version: k.Version, kind: k.Kind}] = true
			}
		}
		for k := range used {
			if !served[k] {
				return false
			}
		}
		return true
	}
	if serves(b.Releases[len(b.Releases)-1]) {
		return ""
	}
	for i := len(b.Releases) - 2; i >= 0; i-- {
		if serves(b.Releases[i]) {
			return b.Releases[i].Version
		}
	}
	return ""
}
