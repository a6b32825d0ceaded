package operator

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
