package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// kubernetesBundle converts the OpenAPI v2 spec of one k8s.io/kubernetes
// module version.
func kubernetesBundle(ctx context.Context, version string) (*bundle, error) {
	dir, err := downloadModule(ctx, "k8s.io/kubernetes", version)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, "api", "openapi-spec", "swagger.json"))
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	var spec struct {
		Definitions map[string]map[string]any `json:"definitions"`
	}
	if err := json.Unmarshal(data, &spec); err != nil {
		return nil, fmt.Errorf("decode spec: %w", err)
	}
	b, err := convertSwagger(spec.Definitions)
	if err != nil {
		return nil, err
	}
	b.Sources = []string{"k8s.io/kubernetes@" + version + " api/openapi-spec/swagger.json"}
	return b, nil
}

// convertSwagger converts the definitions of an OpenAPI v2 spec, indexes
// them by group/version/kind and keeps only the definitions a kind needs.
func convertSwagger(defs map[string]map[string]any) (*bundle, error) {
	b := &bundle{Definitions: map[string]any{}}
	seen := map[string]string{}
	names := make([]string, 0, len(defs))
	for name := range defs {
		names = append(names, name)
	}
	sort.Strings(names)
	var roots []string
	for _, name := range names {
		for _, gvk := range groupVersionKinds(name, defs[name]) {
			key := gvk.Group + "/" + gvk.Version + "/" + gvk.Kind
			if prev, dup := seen[key]; dup {
				return nil, fmt.Errorf("%s is defined by both %s and %s", key, prev, name)
			}
			seen[key] = name
			gvk.Definition = name
			gvk.Served = true
			b.Kinds = append(b.Kinds, gvk)
			roots = append(roots, name)
		}
	}
	if len(b.Kinds) == 0 {
		return nil, fmt.Errorf("no definition has x-kubernetes-group-version-kind")
	}
	// Keep only the definitions reachable from a kind.
	var visit func(string)
	visit = func(name string) {
		if _, done := b.Definitions[name]; done {
			return
		}
		def, ok := defs[name]
		if !ok {
			return
		}
		b.Definitions[name] = convertDefinition(name, def)
		refs(def, visit)
	}
	for _, name := range roots {
		visit(name)
	}
	for _, name := range roots {
		if root, ok := b.Definitions[name].(map[string]any); ok {
			fixRoot(root)
		}
	}
	for name := range b.Definitions {
		var missing []string
		refs(b.Definitions[name], func(ref string) {
			if _, ok := b.Definitions[ref]; !ok {
				missing = append(missing, ref)
			}
		})
		if len(missing) > 0 {
			return nil, fmt.Errorf("%s refers to undefined %s", name, strings.Join(missing, ", "))
		}
	}
	return b, nil
}

// convertDefinition converts one definition; Quantity is special-cased
// because the spec declares it a string while the API server also accepts a
// JSON number.
func convertDefinition(name string, def map[string]any) map[string]any {
	switch name {
	case quantityDef:
		return map[string]any{"type": []any{"string", "number"}}
	case intOrStringDef:
		return map[string]any{"type": []any{"integer", "string"}}
	}
	return convertSchema(def, false)
}

// groupVersionKinds reads x-kubernetes-group-version-kind. The meta/v1
// types listed under every group version (DeleteOptions, WatchEvent) are
// skipped: they are not objects anyone applies.
func groupVersionKinds(name string, def map[string]any) []kindEntry {
	list, _ := def["x-kubernetes-group-version-kind"].([]any)
	if len(list) > 1 && strings.HasPrefix(name, "io.k8s.apimachinery.pkg.apis.meta.v1.") {
		return nil
	}
	var out []kindEntry
	for _, item := range list {
		m, _ := item.(map[string]any)
		group, _ := m["group"].(string)
		version, _ := m["version"].(string)
		kind, _ := m["kind"].(string)
		if version == "" || kind == "" {
			continue
		}
		out = append(out, kindEntry{Group: group, Version: version, Kind: kind})
	}
	return out
}
