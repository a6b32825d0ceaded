package operator

import "strings"

// TemplatePath maps a field path of the generated object to the field path
// in the ResourceSet that produced it, for pointing findings at a source
// line. For an object from spec.resources[i] it follows field through the
// template as long as the template has the same structure (keys and list
// indices) and returns that path under spec.resources[i] with exact set;
// where a value was generated (a key or list written by a template
// expression, or a label added by the operator) it stops at the deepest
// template field that exists, with exact unset. For an object from a
// resourcesTemplate it returns the path of that string, not exact.
func (g Generated) TemplatePath(field []any) (path []any, exact bool) {
	path = g.Template.Path()
	if g.source == nil {
		return path, false
	}
	cur := g.source
	for _, step := range field {
		next, ok := child(cur, step)
		if !ok {
			return path, false
		}
		path = append(path, step)
		cur = next
	}
	return path, true
}

// child returns the value under a map key (string) or list index (int).
func child(v any, step any) (any, bool) {
	switch s := step.(type) {
	case string:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		c, ok := m[s]
		return c, ok
	case int:
		l, ok := v.([]any)
		if !ok || s < 0 || s >= len(l) {
			return nil, false
		}
		return l[s], true
	default:
		return nil, false
	}
}

// SyncFieldPath maps a field path of an object from FluxInstanceSync to the
// FluxInstance field it came from: spec.sync.url for the source's url or
// endpoint, spec.sync.ref for its ref or bucketName, spec.sync.path for the
// Kustomization's path, and so on. Fields the operator sets itself, and
// those from spec.kustomize.patches, map to spec.sync.
func SyncFieldPath(obj map[string]any, field []any) []any {
	sync := []any{"spec", "sync"}
	key := formatPath(field)
	if key == "metadata.name" {
		return append(sync, "name")
	}
	if str(obj, "kind") == "Kustomization" {
		switch key {
		case "spec.path":
			return append(sync, "path")
		case "spec.sourceRef.kind":
			return append(sync, "kind")
		}
		return sync
	}
	switch {
	case key == "kind":
		return append(sync, "kind")
	case key == "spec.url" || key == "spec.endpoint":
		return append(sync, "url")
	case key == "spec.bucketName" || key == "spec.ref" || strings.HasPrefix(key, "spec.ref."):
		return append(sync, "ref")
	case key == "spec.secretRef.name":
		return append(sync, "pullSecret")
	case key == "spec.provider":
		return append(sync, "provider")
	case key == "spec.interval":
		return append(sync, "interval")
	}
	return sync
}
