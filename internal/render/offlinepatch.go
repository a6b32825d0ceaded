package render

import (
	"strings"

	"sigs.k8s.io/yaml"
)

// targetPatches gives each strategic-merge patch of a kustomization that
// has no target the target its own document names, so that a build
// without the remote resources it may patch still runs. kustomize applies
// a patch without a target to the resource of the patch's id and fails
// when there is none (PatchTransformer.transformStrategicMerge: "no
// resource matches strategic merge patch"), while a target that selects
// nothing is no error; with the remote resources left out, the patch of
// one of them would fail the whole build. A patch with a target it selects
// is applied alike. Inline patches of patchesStrategicMerge become entries
// of patches, ahead of the others, as kustomize applies them first; a patch
// read from a file, or one whose document names no kind or name, is left
// as it is.
func targetPatches(m map[string]any) {
	var moved []any
	if list, ok := m["patchesStrategicMerge"].([]any); ok {
		var kept []any
		for _, e := range list {
			text, _ := e.(string)
			if !strings.Contains(text, "\n") {
				kept = append(kept, e)
				continue
			}
			entries := targetedEntries(text)
			if entries == nil {
				kept = append(kept, e)
				continue
			}
			moved = append(moved, entries...)
		}
		if len(kept) > 0 {
			m["patchesStrategicMerge"] = kept
		} else {
			delete(m, "patchesStrategicMerge")
		}
	}
	list, _ := m["patches"].([]any)
	var out []any
	for _, e := range list {
		p, ok := e.(map[string]any)
		text, _ := p["patch"].(string)
		if !ok || p["target"] != nil || text == "" {
			out = append(out, e)
			continue
		}
		entries := targetedEntries(text)
		if entries == nil {
			out = append(out, e)
			continue
		}
		for _, n := range entries {
			if opts, ok := p["options"]; ok {
				n.(map[string]any)["options"] = opts
			}
		}
		out = append(out, entries...)
	}
	if all := append(moved, out...); len(all) > 0 {
		m["patches"] = all
	}
}

// targetedEntries splits an inline strategic-merge patch into its
// documents and returns a patches entry for each, with the target its
// document names, or nil when a document is not a strategic-merge patch
// of one named object (a JSON 6902 patch is a list, and needs a target).
func targetedEntries(text string) []any {
	var out []any
	for _, doc := range strings.Split(text, "\n---") {
		if strings.TrimSpace(strings.TrimPrefix(doc, "---")) == "" {
			continue
		}
		var obj struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
			Metadata   struct {
				Name      string `json:"name"`
				Namespace string `json:"namespace"`
			} `json:"metadata"`
		}
		if err := yaml.Unmarshal([]byte(doc), &obj); err != nil || obj.Kind == "" || obj.Metadata.Name == "" {
			return nil
		}
		target := map[string]any{"kind": obj.Kind, "name": obj.Metadata.Name}
		group, version, found := strings.Cut(obj.APIVersion, "/")
		if !found {
			group, version = "", obj.APIVersion
		}
		if group != "" {
			target["group"] = group
		}
		if version != "" {
			target["version"] = version
		}
		if obj.Metadata.Namespace != "" {
			target["namespace"] = obj.Metadata.Namespace
		}
		out = append(out, map[string]any{"patch": doc, "target": target})
	}
	return out
}
