package schema

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/listtype"
	schemaobjectmeta "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/objectmeta"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
)

// CRDGroup and CRDKind identify a CustomResourceDefinition object.
const (
	CRDAPIVersion = "apiextensions.k8s.io/v1"
	CRDKind       = "CustomResourceDefinition"
)

// IsCRD reports whether obj is an apiextensions.k8s.io/v1
// CustomResourceDefinition.
func IsCRD(obj map[string]any) bool {
	return obj["apiVersion"] == CRDAPIVersion && obj["kind"] == CRDKind
}

// A CRD is one CustomResourceDefinition compiled for validation with the
// API server's own code (k8s.io/apiextensions-apiserver): structural
// schema, pruning of unknown fields, defaulting, OpenAPI validation,
// list-type and map-keys uniqueness, embedded resources and CEL
// x-kubernetes-validations. A CRD is immutable and safe for concurrent use.
type CRD struct {
	// Name is metadata.name, e.g. "certificates.cert-manager.io".
	Name     string
	Group    string
	Kind     string
	versions map[string]*crdVersion
}

// A crdVersion is one version of a CRD, compiled the first time an object
// of that version is validated: a CRD serves several versions, and the
// objects of a repository use one.
type crdVersion struct {
	served     bool
	deprecated string
	schema     *apiextensionsv1.CustomResourceValidation
	once       sync.Once
	structural *structuralschema.Structural
	validator  apiservervalidation.SchemaValidator
	cel        *cel.Validator
	err        error // why the schema does not compile, if it does not
}

// CompileCRD compiles a CustomResourceDefinition as decoded from YAML. A
// version whose schema is not structural (the API server refuses such a
// CRD) keeps its error and reports it for each object of that version; an
// error is returned only when obj is not a CRD at all.
func CompileCRD(obj map[string]any) (*CRD, error) {
	if !IsCRD(obj) {
		return nil, errors.New("not an apiextensions.k8s.io/v1 CustomResourceDefinition")
	}
	data, err := json.Marshal(normalize(obj))
	if err != nil {
		return nil, fmt.Errorf("encode CRD: %w", err)
	}
	var def apiextensionsv1.CustomResourceDefinition
	if err := json.Unmarshal(data, &def); err != nil {
		return nil, fmt.Errorf("decode CRD: %w", err)
	}
	if def.Spec.Group == "" || def.Spec.Names.Kind == "" {
		return nil, errors.New("CRD has no spec.group or spec.names.kind")
	}
	c := &CRD{Name: def.Name, Group: def.Spec.Group, Kind: def.Spec.Names.Kind, versions: map[string]*crdVersion{}}
	for i := range def.Spec.Versions {
		v := &def.Spec.Versions[i]
		cv := &crdVersion{served: v.Served}
		if v.Deprecated {
			cv.deprecated = c.Group + "/" + v.Name + " " + c.Kind + " is deprecated"
			if v.DeprecationWarning != nil && *v.DeprecationWarning != "" {
				cv.deprecated = *v.DeprecationWarning
			}
		}
		if v.Served {
			cv.schema = v.Schema
		}
		c.versions[v.Name] = cv
	}
	return c, nil
}

// compiled compiles the version once and returns it.
func (cv *crdVersion) compiled() *crdVersion {
	cv.once.Do(func() { cv.compile(cv.schema) })
	return cv
}

// compile builds the structural schema, the OpenAPI validator and the CEL
// validator of one version, as the API server does when it serves it.
func (cv *crdVersion) compile(v *apiextensionsv1.CustomResourceValidation) {
	if v == nil || v.OpenAPIV3Schema == nil {
		// Every field is allowed: the API server preserves nothing, but
		// the CRD did not ask for validation.
		cv.structural = &structuralschema.Structural{Extensions: structuralschema.Extensions{XPreserveUnknownFields: true}}
		return
	}
	var internal apiextensions.JSONSchemaProps
	if err := apiextensionsv1.Convert_v1_JSONSchemaProps_To_apiextensions_JSONSchemaProps(v.OpenAPIV3Schema, &internal, nil); err != nil {
		cv.err = fmt.Errorf("convert schema: %w", err)
		return
	}
	s, err := structuralschema.NewStructural(&internal)
	if err != nil {
		cv.err = fmt.Errorf("schema is not structural: %w", err)
		return
	}
	if errs := structuralschema.ValidateStructural(nil, s); len(errs) > 0 {
		cv.err = fmt.Errorf("schema is not structural: %w", errs.ToAggregate())
		return
	}
	validator, _, err := apiservervalidation.NewSchemaValidator(&internal)
	if err != nil {
		cv.err = fmt.Errorf("schema does not compile: %w", err)
		return
	}
	cv.structural, cv.validator = s, validator
	cv.cel = cel.NewValidator(s, true, celconfig.PerCallLimit)
}

// ServedVersions returns the apiVersions the CRD serves, from the least to
// the most preferred.
func (c *CRD) ServedVersions() []string {
	var out []string
	for name, v := range c.versions {
		if v.served {
			out = append(out, c.Group+"/"+name)
		}
	}
	sortAPIVersions(out)
	return out
}

// ValidateOptions change how an object is validated against a CRD.
type ValidateOptions struct {
	// SkipCEL leaves x-kubernetes-validations unevaluated (for a
	// SOPS-encrypted document, whose values the rules cannot read).
	SkipCEL bool
	// FluxOperator validates with the schemas of a cluster whose Flux is
	// installed by Flux Operator, which patches the Alert and Receiver
	// CRDs: their spec.eventSources[].kind and spec.resources[].kind also
	// accept FluxInstance, ResourceSet and ResourceSetInputProvider.
	FluxOperator bool
	// Catalogue names, by catalogue project, the version the cluster's
	// objects are checked with unless the run pins another: the version
	// of the fork that the cluster installs (catalogueChannels).
	Catalogue map[string]string
	// deleted are the Flux kinds whose CRD the cluster's FluxInstance
	// deletes (deletedFluxKinds): the embedded schemas do not check them.
	deleted map[groupKind]bool
}

// validate checks obj against one served version with the API server's
// order of steps: prune unknown fields (reported), drop nulls where the
// schema does not allow them, apply defaults, then validate the OpenAPI
// schema, embedded objects' metadata, list types and CEL rules.
func (cv *crdVersion) validate(ctx context.Context, obj map[string]any, opts ValidateOptions) []Violation {
	cv = cv.compiled()
	if cv.err != nil {
		return []Violation{{Rule: RuleInvalid, Message: oneLine("the CRD's schema for this version does not compile: " + cv.err.Error())}}
	}
	u, ok := unstructured(obj).(map[string]any)
	if !ok {
		return nil
	}
	var out []Violation
	unknown := pruning.PruneWithOptions(u, cv.structural, true,
		structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	for _, p := range unknown {
		path := splitFieldPath(obj, p)
		out = append(out, Violation{Path: path, Rule: RuleUnknownField, Message: "unknown field " + quote(path[len(path)-1])})
	}
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(u, cv.structural)
	structuraldefaulting.Default(u, cv.structural)
	errs := apiservervalidation.ValidateCustomResource(nil, u, cv.validator)
	errs = append(errs, schemaobjectmeta.Validate(ctx, nil, u, cv.structural, false)...)
	errs = append(errs, listtype.ValidateListSetsAndMaps(nil, cv.structural, u)...)
	for _, e := range errs {
		out = append(out, fieldViolation(obj, e))
	}
	if !opts.SkipCEL && !blocking(errs) {
		out = append(out, cv.runCEL(ctx, obj, u)...)
	}
	return out
}

// validateCEL evaluates only the CEL rules of this version, on obj pruned
// and defaulted as the API server would; the embedded Flux kinds use it
// beside their JSON schemas.
func (cv *crdVersion) validateCEL(ctx context.Context, obj map[string]any) []Violation {
	cv = cv.compiled()
	if cv.err != nil || cv.cel == nil {
		return nil
	}
	u, ok := unstructured(obj).(map[string]any)
	if !ok {
		return nil
	}
	pruning.Prune(u, cv.structural, true)
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(u, cv.structural)
	structuraldefaulting.Default(u, cv.structural)
	return cv.runCEL(ctx, obj, u)
}

// runCEL evaluates the x-kubernetes-validations rules on u, the prepared
// copy of obj, within the API server's cost budget per object.
func (cv *crdVersion) runCEL(ctx context.Context, obj, u map[string]any) []Violation {
	if cv.cel == nil {
		return nil
	}
	celErrs, _ := cv.cel.Validate(ctx, nil, cv.structural, u, nil, celconfig.RuntimeCELCostBudget)
	out := make([]Violation, 0, len(celErrs))
	for _, e := range celErrs {
		out = append(out, celViolation(obj, e))
	}
	return out
}

// blocking reports whether errs stop the API server from evaluating CEL
// rules (the rules would see values of the wrong type or missing fields).
func blocking(errs field.ErrorList) bool {
	for _, e := range errs {
		switch e.Type {
		case field.ErrorTypeNotSupported, field.ErrorTypeRequired, field.ErrorTypeTooLong,
			field.ErrorTypeTooMany, field.ErrorTypeTypeInvalid:
			return true
		}
	}
	return false
}

// unstructured returns a deep copy of v with the value types the API
// server's decoder produces: int64 and float64 numbers, map[string]any and
// []any.
func unstructured(v any) any {
	return toInt64(normalizeKeepNull(v))
}

func toInt64(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = toInt64(e)
		}
	case []any:
		for i, e := range t {
			t[i] = toInt64(e)
		}
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		if f, err := t.Float64(); err == nil {
			return f
		}
		return t.String()
	default:
		return integer(v)
	}
	return v
}

// integer widens Go integers to int64, and whole float64 numbers (as a
// JSON round trip of a Helm chart's values leaves them) too: the API server
// receives objects as JSON, where float64(1) is written 1 and decoded as
// int64. Other values are returned as they are.
func integer(v any) any {
	switch t := v.(type) {
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1<<53 {
			return int64(t)
		}
	case int:
		return int64(t)
	case int8:
		return int64(t)
	case int16:
		return int64(t)
	case int32:
		return int64(t)
	case uint8:
		return int64(t)
	case uint16:
		return int64(t)
	case uint32:
		return int64(t)
	case uint:
		return int64(t) //nolint:gosec // the YAML decoder makes uint only for values beyond int64, which the API server rejects anyway
	case uint64:
		return int64(t) //nolint:gosec // as for uint
	}
	return v
}

// normalizeKeepNull is normalize without dropping nulls: the API server
// decides per field whether a null is allowed.
func normalizeKeepNull(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = normalizeKeepNull(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalizeKeepNull(e)
		}
		return out
	case nil:
		return nil
	}
	return normalize(v)
}

// splitFieldPath turns a field path as the API server prints it
// ("spec.rules[0].http", "metadata.labels[app.kubernetes.io/name]") into
// path elements, using obj to tell a dot inside a key from a separator.
// The object itself, which a rule at the root of a CRD's schema reports as
// "<nil>", is the empty path.
func splitFieldPath(obj any, p string) []string {
	if p == "<nil>" {
		return nil
	}
	var out []string
	cur := obj
	for p != "" {
		var elem string
		if p[0] == '[' {
			end := strings.IndexByte(p, ']')
			if end < 0 {
				return append(out, p[1:])
			}
			elem, p = p[1:end], p[end+1:]
		} else {
			elem = keyPrefix(cur, p)
			p = p[len(elem):]
		}
		out = append(out, elem)
		cur = child(cur, elem)
		p = strings.TrimPrefix(p, ".")
	}
	return out
}

// keyPrefix returns the longest key of the map m (if it is one) that p
// starts with and that ends where an element of p ends; otherwise the text
// of p up to the next '.' or '['.
func keyPrefix(m any, p string) string {
	best := ""
	if mm, ok := m.(map[string]any); ok {
		for k := range mm {
			if len(k) > len(best) && strings.HasPrefix(p, k) &&
				(len(p) == len(k) || p[len(k)] == '.' || p[len(k)] == '[') {
				best = k
			}
		}
	}
	if best != "" {
		return best
	}
	if i := strings.IndexAny(p, ".["); i >= 0 {
		return p[:i]
	}
	return p
}

func child(v any, elem string) any {
	switch t := v.(type) {
	case map[string]any:
		return t[elem]
	case []any:
		var i int
		if _, err := fmt.Sscan(elem, &i); err == nil && i >= 0 && i < len(t) {
			return t[i]
		}
	}
	return nil
}
