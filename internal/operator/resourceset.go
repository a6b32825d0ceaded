package operator

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"
)

// Annotations and labels the operator reads or sets on generated objects.
const (
	reconcileAnnotation = "fluxcd.controlplane.io/reconcile"
	disabledValue       = "disabled"
	ownerLabelName      = "resourceset.fluxcd.controlplane.io/name"
	ownerLabelNamespace = "resourceset.fluxcd.controlplane.io/namespace"
)

// IsOwnerLabel reports whether a label is one of the owner labels the
// operator sets on every object a ResourceSet generates, naming the
// ResourceSet.
func IsOwnerLabel(key string) bool {
	return key == ownerLabelName || key == ownerLabelNamespace
}

// An Expansion is what a ResourceSet generates.
type Expansion struct {
	// Objects are the generated objects in the operator's order, with the
	// owner labels and spec.commonMetadata applied. It is empty when
	// Errors is not: the operator applies nothing from a failed build.
	Objects []Generated
	// Inputs is the number of combined input sets the templates ran with.
	Inputs int
	// Unresolved lists the providers whose inputs are unknown offline.
	Unresolved []UnresolvedProvider
	// Partial is set when Unresolved is not empty: Objects holds what the
	// known inputs generate (Flatten), or nothing (Permute, where every
	// input set would include the unknown ones).
	Partial bool
	// Errors are the reasons the build failed, at most one per template.
	Errors []*Error
}

// Generated is one generated object and where it came from.
type Generated struct {
	Object map[string]any
	// Template is the template that produced Object.
	Template TemplateRef
	// Input is the index of the input set, or -1 when there were none.
	Input int
	// source is the spec.resources item, nil for a resourcesTemplate.
	source any
}

// A TemplateRef names one template of a ResourceSet.
type TemplateRef struct {
	// Step is the index into spec.steps, or -1 without steps.
	Step int
	// StepName is the step's name, "" without steps.
	StepName string
	// Resource is the index into resources, or -1 for resourcesTemplate.
	Resource int
}

// Path returns the template's field path in the ResourceSet, such as
// spec.resources[2] or spec.steps[0].resourcesTemplate, as keys (string)
// and list indices (int).
func (t TemplateRef) Path() []any {
	p := []any{"spec"}
	if t.Step >= 0 {
		p = append(p, "steps", t.Step)
	}
	if t.Resource < 0 {
		return append(p, "resourcesTemplate")
	}
	return append(p, "resources", t.Resource)
}

// An Error is a failed build: a template that does not parse or execute,
// output that is not an object, or a spec the operator rejects.
type Error struct {
	// Template is the failing template, nil when the error is not about one.
	Template *TemplateRef
	// Input is the index of the input set it failed with, or -1.
	Input int
	Err   error
}

// Error returns the message with the template's path, when known.
func (e *Error) Error() string {
	if e.Template == nil {
		return e.Err.Error()
	}
	where := formatPath(e.Template.Path())
	if e.Input >= 0 {
		where += fmt.Sprintf(" (input %d)", e.Input)
	}
	return where + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Path returns the field path of the ResourceSet the error points at.
func (e *Error) Path() []any {
	if e.Template == nil {
		return []any{"spec"}
	}
	return e.Template.Path()
}

// ExpandResourceSet generates the objects of a ResourceSet as Flux
// Operator does: it combines spec.inputs with the inputs of the providers
// that spec.inputsFrom selects through providers, runs every template once
// per input set (once without inputs when there are none), drops objects
// annotated fluxcd.controlplane.io/reconcile: disabled, deduplicates by
// group, kind, namespace and name, and sets the owner labels and
// spec.commonMetadata. It stops when ctx is cancelled. It never panics;
// failures are in Expansion.Errors.
func ExpandResourceSet(ctx context.Context, rs map[string]any, providers ProviderLookup) Expansion {
	var exp Expansion
	name, namespace := str(rs, "metadata", "name"), str(rs, "metadata", "namespace")
	fail := func(err error) Expansion {
		exp.Errors = append(exp.Errors, &Error{Input: -1, Err: err})
		return exp
	}
	if err := validateSpec(rs); err != nil {
		return fail(err)
	}
	inputs, err := resourceSetInputs(rs, name, namespace, providers, &exp)
	if err != nil {
		return fail(err)
	}
	exp.Inputs = len(inputs)
	if exp.Partial && strategyName(rs) == strategyPermute {
		return exp
	}
	if len(listAt(rs, "spec", "inputsFrom")) > 0 && len(inputs) == 0 {
		// The operator reconciles an empty set: nothing is generated.
		return exp
	}
	b := &builder{budget: &budget{ctx: ctx, left: MaxOutputBytes}, inputs: inputs}
	objects := b.buildSpec(rs)
	if len(b.errs) > 0 {
		exp.Errors = b.errs
		return exp
	}
	owner := map[string]string{ownerLabelName: name, ownerLabelNamespace: namespace}
	labels := stringMap(mapAt(rs, "spec", "commonMetadata", "labels"))
	annotations := stringMap(mapAt(rs, "spec", "commonMetadata", "annotations"))
	for _, g := range objects {
		setMetadataStrings(g.Object, "labels", owner)
		setMetadataStrings(g.Object, "labels", labels)
		setMetadataStrings(g.Object, "annotations", annotations)
	}
	exp.Objects = objects
	return exp
}

// validateSpec rejects what the operator's ValidateResourceSetSpec does:
// steps together with resources or resourcesTemplate, and a step with
// neither.
func validateSpec(rs map[string]any) error {
	steps := listAt(rs, "spec", "steps")
	if len(steps) > 0 && (len(listAt(rs, "spec", "resources")) > 0 || str(rs, "spec", "resourcesTemplate") != "") {
		return errors.New("spec.steps is mutually exclusive with spec.resources and spec.resourcesTemplate")
	}
	for _, step := range steps {
		if len(listAt(step, "resources")) == 0 && str(step, "resourcesTemplate") == "" {
			return fmt.Errorf("step %q: at least one of resources or resourcesTemplate must be set", str(step, "name"))
		}
	}
	return nil
}

// strategyName returns spec.inputStrategy.name, Flatten by default.
func strategyName(rs map[string]any) string {
	if s := str(rs, "spec", "inputStrategy", "name"); s != "" {
		return s
	}
	return strategyFlatten
}

// resourceSetInputs returns the combined input sets and records the
// unresolved providers in exp.
func resourceSetInputs(rs map[string]any, name, namespace string, providers ProviderLookup, exp *Expansion) ([]map[string]any, error) {
	self, err := inlineSource(rs, name, namespace)
	if err != nil {
		return nil, err
	}
	sources := []inputSource{self}
	if len(listAt(rs, "spec", "inputsFrom")) > 0 {
		more, unresolved, err := resolveProviders(rs, namespace, providers)
		if err != nil {
			return nil, err
		}
		sources = append(sources, more...)
		exp.Unresolved = unresolved
		exp.Partial = len(unresolved) > 0
	}
	includeEmpty, _ := field(rs, "spec", "inputStrategy", "includeEmptyProviders").(bool)
	return combine(strategyName(rs), includeEmpty, sources)
}

// formatPath prints a field path as spec.resources[2].metadata.
func formatPath(path []any) string {
	var sb strings.Builder
	for _, p := range path {
		switch v := p.(type) {
		case int:
			fmt.Fprintf(&sb, "[%d]", v)
		default:
			if sb.Len() > 0 {
				sb.WriteByte('.')
			}
			fmt.Fprint(&sb, v)
		}
	}
	return sb.String()
}

// templateText serialises a spec.resources item to the YAML the operator
// executes: JSON converted to YAML, so keys are sorted.
func templateText(item any) (string, error) {
	if _, ok := item.(map[string]any); !ok {
		return "", errors.New("template is not an object")
	}
	b, err := yaml.Marshal(item)
	if err != nil {
		return "", fmt.Errorf("failed to convert template to YAML: %w", err)
	}
	return string(b), nil
}
