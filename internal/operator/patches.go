package operator

import (
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"
)

// syncPatches returns the spec.kustomize.patches to apply to the sync
// objects. The operator applies them to the whole Flux installation, where
// most of them target the controllers' Deployments, which fluxlint does not
// generate. A patch with a target that matches nothing is harmless, but a
// strategic merge patch without a target names its object and kustomize
// fails when that object is absent; so such patches keep only the
// documents that name one of the sync objects, and are dropped when none
// does. Other patches are kept as written, so kustomize reports their
// errors as the operator would.
func syncPatches(patches []any, s syncSettings) ([]any, error) {
	var out []any
	for i, p := range patches {
		m, ok := p.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("spec.kustomize.patches[%d] is not an object", i)
		}
		if m["target"] != nil {
			out = append(out, m)
			continue
		}
		text, _ := m["patch"].(string)
		kept, isSMP := keepSyncDocuments(text, s)
		switch {
		case !isSMP:
			out = append(out, m)
		case kept != "":
			out = append(out, map[string]any{"patch": kept})
		}
	}
	return out, nil
}

// keepSyncDocuments returns the documents of a strategic merge patch that
// name one of the sync objects (by kind, name and namespace, an empty
// namespace meaning "default" as in kustomize). isSMP is false when the
// patch is not a list of objects (a JSON 6902 patch, or invalid).
func keepSyncDocuments(text string, s syncSettings) (kept string, isSMP bool) {
	var docs []string
	for _, doc := range splitDocuments(text) {
		var obj map[string]any
		if err := yaml.Unmarshal([]byte(doc), &obj); err != nil || obj == nil {
			return "", false
		}
		ns := str(obj, "metadata", "namespace")
		if ns == "" {
			ns = "default"
		}
		kind, name := str(obj, "kind"), str(obj, "metadata", "name")
		if name == s.name && ns == s.namespace && (kind == s.kind || kind == "Kustomization") {
			docs = append(docs, doc)
		}
	}
	return strings.Join(docs, "\n---\n"), true
}

// splitDocuments splits a multi-document YAML string at "---" lines,
// dropping empty documents.
func splitDocuments(text string) []string {
	var docs []string
	var cur []string
	flush := func() {
		if doc := strings.TrimSpace(strings.Join(cur, "\n")); doc != "" {
			docs = append(docs, strings.Join(cur, "\n"))
		}
		cur = nil
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(line, "---") && strings.TrimSpace(strings.TrimPrefix(line, "---")) == "" {
			flush()
			continue
		}
		cur = append(cur, line)
	}
	flush()
	return docs
}
