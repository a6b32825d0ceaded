package flux

import (
	"slices"

	"github.com/fluxlint/fluxlint/internal/model"
)

// An unmetRef is a substituteFrom reference of a Kustomization, in the
// Kustomization's target and namespace.
type unmetRef struct {
	target, kind, namespace, name string
}

// unmetRefs returns the substituteFrom references of a Kustomization about
// to be rendered that name no object rendered or made so far (nor, on a
// second walk, in the first walk's cluster).
func (c *cluster) unmetRefs(ks *model.Object) []unmetRef {
	env := c.env(ks)
	var out []unmetRef
	refs, _ := value(ks.Content, "spec", "postBuild", "substituteFrom").([]any)
	for _, r := range refs {
		rm, _ := r.(map[string]any)
		kind, _ := rm["kind"].(string)
		name, _ := rm["name"].(string)
		if env.Lookup(kind, ks.Ref.Namespace, name) == nil && env.MadeBy(kind, ks.Ref.Namespace, name) == "" {
			out = append(out, unmetRef{target: ks.Target, kind: kind, namespace: ks.Ref.Namespace, name: name})
		}
	}
	return out
}

// noteUnmet records the unmet references of a Kustomization once it is
// rendered, but those its own output holds: the render substituted from
// them already (render's withOwnOutput), as Flux does once it has applied
// them.
func (c *cluster) noteUnmet(refs []unmetRef, made []*model.Object) {
	for _, u := range refs {
		own := slices.ContainsFunc(made, func(o *model.Object) bool {
			return o.Ref.Kind == u.kind && o.Ref.Namespace == u.namespace && o.Ref.Name == u.name && o.Ref.APIVersion == "v1"
		})
		if !own {
			c.unmet = append(c.unmet, u)
		}
	}
}

// unmetNowMet reports whether a walk met a substituteFrom reference that
// named nothing when its Kustomization was rendered but names an object
// the walk rendered or made later. Flux retries that Kustomization until
// the object exists, so once the cluster has converged it substitutes
// from it: the walk is worth doing again with the first one's objects.
func (c *cluster) unmetNowMet() bool {
	for _, u := range c.unmet {
		if c.lookup(u.target, u.kind, u.namespace, u.name) != nil || c.madeIn(u.target, u.kind, u.namespace, u.name) != "" {
			return true
		}
	}
	return false
}
