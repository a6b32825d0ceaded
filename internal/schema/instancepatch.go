package schema

import (
	"encoding/json"
	"regexp"

	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/model"
)

// deletedFluxKinds returns the Flux kinds whose CRD a FluxInstance of the
// cluster deletes: a patch of spec.kustomize.patches that is `$patch:
// delete` on a CustomResourceDefinition, whose objects Flux Operator leaves
// out of the distribution it applies (a cluster that installs a CRD of its
// own instead, from a feature branch, does this). The embedded schema of
// such a kind says nothing of what the cluster serves: its objects are
// checked with the cluster's CRD when the repository has it, and otherwise
// have no schema. nil when no FluxInstance deletes a CRD.
func (v *Validator) deletedFluxKinds(c *model.Cluster) map[groupKind]bool {
	var out map[groupKind]bool
	var names map[groupKind]string
	for _, o := range c.Objects {
		if o.Ref.Kind != "FluxInstance" || model.Group(o.Ref.APIVersion) != model.GroupOperator {
			continue
		}
		patches, _ := valueAt(o.Content, "spec", "kustomize", "patches").([]any)
		for _, p := range patches {
			matches, ok := deletedCRDs(p)
			if !ok {
				continue
			}
			if names == nil {
				names = v.fluxCRDNames()
			}
			for gk, name := range names {
				if matches(name) {
					if out == nil {
						out = map[groupKind]bool{}
					}
					out[gk] = true
				}
			}
		}
	}
	return out
}

// deletedCRDs reads one entry of spec.kustomize.patches and, when it
// deletes CustomResourceDefinitions, returns what matches their names: the
// target's name, a regular expression kustomize anchors at both ends, or
// else the patch's metadata.name.
func deletedCRDs(p any) (matches func(name string) bool, ok bool) {
	pm, _ := p.(map[string]any)
	body, _ := pm["patch"].(string)
	var doc map[string]any
	if yaml.Unmarshal([]byte(body), &doc) != nil || doc["$patch"] != "delete" {
		return nil, false
	}
	target, _ := pm["target"].(map[string]any)
	kind, _ := target["kind"].(string)
	if kind == "" {
		kind, _ = doc["kind"].(string)
	}
	if kind != "CustomResourceDefinition" {
		return nil, false
	}
	if name, _ := target["name"].(string); name != "" {
		re, err := regexp.Compile("^(?:" + name + ")$")
		if err != nil {
			return nil, false
		}
		return re.MatchString, true
	}
	name, _ := valueAt(doc, "metadata", "name").(string)
	return func(n string) bool { return n == name }, name != ""
}

// fluxCRDNames returns the name (plural.group) of each embedded Flux CRD,
// by group and kind.
func (v *Validator) fluxCRDNames() map[groupKind]string {
	out := make(map[groupKind]string, len(v.fluxCRDs))
	for gk, crd := range v.fluxCRDs {
		var c struct {
			Spec struct {
				Names struct {
					Plural string `json:"plural"`
				} `json:"names"`
			} `json:"spec"`
		}
		if json.Unmarshal(crd.raw, &c) == nil && c.Spec.Names.Plural != "" {
			out[gk] = c.Spec.Names.Plural + "." + gk.group
		}
	}
	return out
}

// valueAt returns the value at a path of a decoded object, or nil.
func valueAt(m map[string]any, keys ...string) any {
	return model.Value(m, keys...)
}
