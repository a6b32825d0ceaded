package model

import (
	"path"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// ChartNames returns the prefixes that the names of a HelmRelease's chart
// objects plausibly start with, for a chart that is not rendered: Helm
// charts name what they make after the release (the release name, or
// <release>-<chart>, cut by the chart's fullname rule), after the chart,
// or after names the values give (fullnameOverride, nameOverride, a
// serviceAccount.name, any "name" or "...Name" that is not an existing
// object's). valuesFrom reads the values of a valuesFrom entry (kind, name
// and key in the release's namespace) when the repository makes that
// object; nil reads none. known is false when the values are not all
// known (a valuesFrom entry that cannot be read, or valuesFiles): then any
// name is plausible.
func ChartNames(hr *Object, valuesFrom func(kind, name, key string) (any, bool)) (prefixes []string, known bool) {
	if value(hr.Content, "spec", "chart", "spec", "valuesFiles") != nil {
		return nil, false
	}
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s != "" && !strings.ContainsAny(s, " {$") && len(s) <= 253 {
			prefixes = append(prefixes, s)
		}
	}
	items, _ := value(hr.Content, "spec", "valuesFrom").([]any)
	for _, item := range items {
		m, _ := item.(map[string]any)
		kind, key := str(m, "kind"), str(m, "valuesKey")
		if kind == "" {
			kind = "ConfigMap"
		}
		if key == "" {
			key = "values.yaml"
		}
		var vals any
		ok := valuesFrom != nil
		if ok {
			vals, ok = valuesFrom(kind, str(m, "name"), key)
		}
		if !ok {
			if optional, _ := m["optional"].(bool); optional {
				continue
			}
			return nil, false
		}
		valueNames(vals, "", add)
		componentNames(vals, nil, add)
	}
	add(ReleaseName(hr.Ref.Name, str(hr.Content, "spec", "releaseName"), str(hr.Content, "spec", "targetNamespace")))
	add(hr.Ref.Name)
	add(str(hr.Content, "spec", "chart", "spec", "chart"))
	if name := str(hr.Content, "spec", "chartRef", "name"); name != "" {
		add(name)
	}
	if url := str(hr.Content, "spec", "chart", "spec", "chart"); strings.Contains(url, "/") {
		add(path.Base(url))
	}
	valueNames(value(hr.Content, "spec", "values"), "", add)
	componentNames(value(hr.Content, "spec", "values"), nil, add)
	for _, name := range postRendererNames(hr) {
		add(name)
	}
	slices.Sort(prefixes)
	return slices.Compact(prefixes), true
}

// valueNames calls add with every string value whose key names an object
// the chart makes: fullnameOverride, nameOverride, forceRename (bjw-s'
// app-template names an object so), name, or a key ending in Name, except
// those that name an existing object (existingSecret...).
func valueNames(v any, key string, add func(string)) {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			valueNames(c, k, add)
		}
	case []any:
		for _, c := range t {
			valueNames(c, key, add)
		}
	case string:
		lower := strings.ToLower(key)
		if strings.HasPrefix(lower, "existing") {
			return
		}
		if key == "fullnameOverride" || key == "nameOverride" || key == "forceRename" || key == "name" || strings.HasSuffix(key, "Name") {
			add(t)
		}
	}
}

// componentNames calls add with the path, joined by dashes, of every part
// of the values switched on with "enabled: true" (hubble.ui gives
// hubble-ui): charts name a component's objects after its values path, not
// always after the release (Cilium's Service hubble-ui).
func componentNames(v any, path []string, add func(string)) {
	m, ok := v.(map[string]any)
	if !ok || len(path) > 3 {
		return
	}
	if on, _ := m["enabled"].(bool); on && len(path) > 0 {
		add(strings.ToLower(strings.Join(path, "-")))
	}
	for k, c := range m {
		componentNames(c, append(slices.Clone(path), k), add)
	}
}

// postRendererNames returns the names that the kustomize post-renderers of
// a HelmRelease give the chart's objects: the values of the JSON 6902
// operations that add or replace /metadata/name.
func postRendererNames(hr *Object) []string {
	var out []string
	renderers, _ := value(hr.Content, "spec", "postRenderers").([]any)
	for _, r := range renderers {
		rm, _ := r.(map[string]any)
		patches, _ := value(rm, "kustomize", "patches").([]any)
		for _, p := range patches {
			pm, _ := p.(map[string]any)
			text, _ := pm["patch"].(string)
			var ops []map[string]any
			if yaml.Unmarshal([]byte(text), &ops) != nil {
				continue // a strategic merge patch names its target, it renames nothing
			}
			for _, op := range ops {
				if (op["op"] == "replace" || op["op"] == "add") && op["path"] == "/metadata/name" {
					if name, ok := op["value"].(string); ok {
						out = append(out, name)
					}
				}
			}
		}
	}
	return out
}
