package operator

import (
	"encoding/json"
	"fmt"
	"slices"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// The operator's API group, version and kinds.
const (
	groupVersion     = "fluxcd.controlplane.io/v1"
	kindResourceSet  = "ResourceSet"
	kindProvider     = "ResourceSetInputProvider"
	kindFluxInstance = "FluxInstance"
	providerStatic   = "Static"
	strategyFlatten  = "Flatten"
	strategyPermute  = "Permute"
	maxPermutations  = 10000
)

// A ProviderLookup returns the ResourceSetInputProvider objects of a
// namespace, as decoded from YAML. A nil ProviderLookup knows none.
type ProviderLookup func(namespace string) []map[string]any

// An UnresolvedProvider is an input provider that spec.inputsFrom selects
// but whose inputs cannot be known offline: its type asks an API at run
// time, or it was not found. Callers report it once, as information.
type UnresolvedProvider struct {
	Name      string
	Namespace string
	// Type is the provider's spec.type, or "" when it was not found.
	Type string
	// Reason says why its inputs are unknown.
	Reason string
}

// inputSource is one object that contributes input sets: the ResourceSet
// itself or a provider.
type inputSource struct {
	kind, name, namespace string
	inputs                []map[string]any
}

// resolveProviders selects the providers of spec.inputsFrom as the
// operator's ResourceSet controller does (getInputs): by name or by label
// selector, in the ResourceSet's namespace, each provider once, sorted by
// name. Static providers export one input set, the others are returned as
// unresolved.
func resolveProviders(rs map[string]any, namespace string, lookup ProviderLookup) ([]inputSource, []UnresolvedProvider, error) {
	var candidates []map[string]any
	if lookup != nil {
		for _, p := range lookup(namespace) {
			if str(p, "kind") != kindProvider {
				continue
			}
			if ns := str(p, "metadata", "namespace"); ns != "" && ns != namespace {
				continue
			}
			candidates = append(candidates, p)
		}
	}
	selected := map[string]map[string]any{}
	var missing []string
	for i, ref := range listAt(rs, "spec", "inputsFrom") {
		name := str(ref, "name")
		sel := mapAt(ref, "selector")
		switch {
		case name != "":
			if p := findProvider(candidates, name); p != nil {
				selected[name] = p
			} else if !slices.Contains(missing, name) {
				missing = append(missing, name)
			}
		case sel != nil:
			matched, err := selectProviders(candidates, sel)
			if err != nil {
				return nil, nil, fmt.Errorf("spec.inputsFrom[%d].selector: %w", i, err)
			}
			for _, p := range matched {
				selected[str(p, "metadata", "name")] = p
			}
		default:
			return nil, nil, fmt.Errorf("spec.inputsFrom[%d]: input provider reference must have either name or selector set", i)
		}
	}
	var unresolved []UnresolvedProvider
	for _, name := range missing {
		if _, ok := selected[name]; !ok {
			unresolved = append(unresolved, UnresolvedProvider{Name: name, Namespace: namespace,
				Reason: "not found in the repository; its inputs are unknown"})
		}
	}
	sources, more, err := providerSources(selected, namespace)
	return sources, append(unresolved, more...), err
}

// providerSources turns the selected providers, sorted by name, into input
// sources; the ones that need the network are returned as unresolved.
func providerSources(selected map[string]map[string]any, namespace string) ([]inputSource, []UnresolvedProvider, error) {
	names := make([]string, 0, len(selected))
	for n := range selected {
		names = append(names, n)
	}
	slices.Sort(names)
	var sources []inputSource
	var unresolved []UnresolvedProvider
	for _, name := range names {
		p := selected[name]
		typ := str(p, "spec", "type")
		if typ != providerStatic {
			unresolved = append(unresolved, UnresolvedProvider{Name: name, Namespace: namespace, Type: typ,
				Reason: fmt.Sprintf("provider %s of type %s needs the network; its inputs are unknown", name, typ)})
			continue
		}
		input, err := staticInput(p, name)
		if err != nil {
			return nil, nil, fmt.Errorf("ResourceSetInputProvider/%s: %w", name, err)
		}
		sources = append(sources, inputSource{kind: kindProvider, name: name, namespace: namespace,
			inputs: []map[string]any{input}})
	}
	return sources, unresolved, nil
}

// staticInput is the one input set a Static provider exports: its
// spec.defaultValues plus an "id". In a cluster the id is the checksum of
// the provider's UID, which does not exist offline; like the operator's CLI
// (flux-operator build resourceset), fluxlint uses the checksum of its name.
func staticInput(p map[string]any, name string) (map[string]any, error) {
	input, err := normalizeMap(mapAt(p, "spec", "defaultValues"))
	if err != nil {
		return nil, fmt.Errorf("spec.defaultValues: %w", err)
	}
	input["id"] = inputID(name)
	return input, nil
}

// findProvider returns the candidate with the given name, or nil.
func findProvider(candidates []map[string]any, name string) map[string]any {
	for _, p := range candidates {
		if str(p, "metadata", "name") == name {
			return p
		}
	}
	return nil
}

// selectProviders returns the candidates whose labels match a
// metav1.LabelSelector given as a map.
func selectProviders(candidates []map[string]any, sel map[string]any) ([]map[string]any, error) {
	raw, err := json.Marshal(sel)
	if err != nil {
		return nil, err
	}
	var ls metav1.LabelSelector
	if err := json.Unmarshal(raw, &ls); err != nil {
		return nil, err
	}
	selector, err := metav1.LabelSelectorAsSelector(&ls)
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for _, p := range candidates {
		if selector.Matches(labels.Set(stringMap(mapAt(p, "metadata", "labels")))) {
			out = append(out, p)
		}
	}
	return out, nil
}

// inlineSource returns the ResourceSet's own spec.inputs as an input source.
func inlineSource(rs map[string]any, name, namespace string) (inputSource, error) {
	src := inputSource{kind: kindResourceSet, name: name, namespace: namespace}
	for i, in := range listAt(rs, "spec", "inputs") {
		m, ok := in.(map[string]any)
		if !ok {
			return src, fmt.Errorf("spec.inputs[%d] is not an object", i)
		}
		norm, err := normalizeMap(m)
		if err != nil {
			return src, fmt.Errorf("spec.inputs[%d]: %w", i, err)
		}
		src.inputs = append(src.inputs, norm)
	}
	return src, nil
}

// withProvider adds the "provider" value the operator sets on every input
// set: who exported it.
func (s inputSource) withProvider() []map[string]any {
	for _, in := range s.inputs {
		in["provider"] = map[string]any{
			"apiVersion": groupVersion,
			"kind":       s.kind,
			"name":       s.name,
			"namespace":  s.namespace,
		}
	}
	return s.inputs
}
