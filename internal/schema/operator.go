package schema

import (
	"maps"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/schemas"
)

// FluxOperatorGroup is the API group of Flux Operator's kinds: FluxInstance,
// FluxReport, ResourceSet and ResourceSetInputProvider.
const FluxOperatorGroup = "fluxcd.controlplane.io"

// notificationGroup is the API group of Flux's Alert and Receiver.
const notificationGroup = "notification.toolkit.fluxcd.io"

// FluxOperatorVersion returns the Flux Operator release whose CRDs are
// embedded, e.g. "v0.58.1", or "" when none are.
func FluxOperatorVersion() string {
	b, err := loadBundle(schemas.FluxOperatorBundle)
	if err != nil || len(b.Sources) == 0 {
		return ""
	}
	// A source reads "module@version config/crd/bases (...)".
	_, rest, _ := strings.Cut(b.Sources[0], "@")
	version, _, _ := strings.Cut(rest, " ")
	return version
}

// FluxOperatorKinds returns the apiVersion and kind of every Flux Operator
// kind the embedded CRDs serve, sorted, e.g.
// "fluxcd.controlplane.io/v1 FluxInstance".
func FluxOperatorKinds() []string {
	kinds, err := loadKinds(schemas.FluxOperatorBundle)
	if err != nil {
		return nil
	}
	var out []string
	for _, k := range kinds {
		if k.Served {
			out = append(out, gvk{group: k.Group, version: k.Version, kind: k.Kind}.apiVersion()+" "+k.Kind)
		}
	}
	return out
}

// operatorPatchedField returns the list field of spec whose items' kind
// enum Flux Operator extends in a notification kind, or "" for other kinds.
// The operator patches the Alert and Receiver CRDs it installs
// (notificationPatchTmpl in internal/builder/templates.go of
// controlplaneio-fluxcd/flux-operator) at every version they have.
func operatorPatchedField(k gvk) string {
	if k.group != notificationGroup {
		return ""
	}
	switch k.kind {
	case "Alert":
		return "eventSources"
	case "Receiver":
		return "resources"
	}
	return ""
}

// operatorEventKinds are the kinds the patch adds to the enums.
func operatorEventKinds() []any {
	return []any{"FluxInstance", "ResourceSet", "ResourceSetInputProvider"}
}

// operatorPatch returns, for the notification kinds of b that Flux Operator
// patches, their definitions with the patch applied, under new names, and
// the name each such kind's patched definition has. The bundle's own
// definitions, which the decoded bundles share, are not modified: only the
// maps along the patched path are copied.
func operatorPatch(b *bundle) (defs map[string]any, byKind map[gvk]string) {
	defs, byKind = map[string]any{}, map[gvk]string{}
	for _, e := range b.Kinds {
		k := gvk{group: e.Group, version: e.Version, kind: e.Kind}
		field := operatorPatchedField(k)
		if field == "" || e.Definition == "" {
			continue
		}
		path := []string{"properties", "spec", "properties", field, "items", "properties", "kind", "enum"}
		def, err := decodeDefinition(b.Definitions[e.Definition])
		if err != nil {
			continue
		}
		patched, ok := withEnumValues(def, path, operatorEventKinds())
		if !ok {
			continue
		}
		name := e.Definition + "+flux-operator"
		defs[name] = patched
		byKind[k] = name
	}
	return defs, byKind
}

// withEnumValues returns a copy of def with values appended to the enum at
// path, copying only the maps on the path; it reports false when path does
// not lead to an enum.
func withEnumValues(def any, path []string, values []any) (any, bool) {
	if len(path) == 0 {
		enum, ok := def.([]any)
		if !ok {
			return nil, false
		}
		out := append(make([]any, 0, len(enum)+len(values)), enum...)
		for _, v := range values {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out, true
	}
	m, ok := def.(map[string]any)
	if !ok {
		return nil, false
	}
	child, ok := withEnumValues(m[path[0]], path[1:], values)
	if !ok {
		return nil, false
	}
	out := maps.Clone(m)
	out[path[0]] = child
	return out, true
}
