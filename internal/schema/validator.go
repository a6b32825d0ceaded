package schema

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/fluxlint/fluxlint/schemas"
)

// A Validator checks objects against the schemas of one Kubernetes version
// and the Flux CRDs. It is safe for concurrent use.
type Validator struct {
	version string
	catalog *catalog
	// defs serves the compiler each definition as a document of its own.
	defs definitionLoader

	compileMu sync.Mutex // guards compiler, which is not safe for concurrent use
	compiler  *jsonschema.Compiler

	mu       sync.Mutex // guards compiled
	compiled map[string]*compiledSchema

	lifecycle   *lifecycle
	fluxVersion string
	locations   *locations
	catalogue   catalogueChoice
	crds        crdCache
	fluxCRDs    map[groupKind]*embeddedCRD // embedded Flux and Flux Operator CRDs, for their CEL rules
	// operatorDefs names, for each Flux kind that Flux Operator patches,
	// its definition with the patch applied (ValidateOptions.FluxOperator).
	operatorDefs map[gvk]string
	// results, when set, keeps findings of objects between runs
	// (KeepResults).
	results *resultMemo
}

// A compiledSchema is the compiled schema of one definition, compiled once.
type compiledSchema struct {
	once   sync.Once
	schema *jsonschema.Schema
	err    error
}

// New returns a Validator for one Kubernetes version, e.g. "1.35", and the
// newest embedded Flux release; "" means the newest embedded Kubernetes
// version. An unknown version is an error that names the supported ones.
func New(kubernetesVersion string) (*Validator, error) {
	return newFor(kubernetesVersion, "")
}

// newFor returns a Validator for one Kubernetes version and one embedded
// Flux release; "" means the newest of either.
func newFor(kubernetesVersion, fluxVersion string) (*Validator, error) {
	version, err := ResolveKubernetesVersion(kubernetesVersion)
	if err != nil {
		return nil, err
	}
	release, err := ResolveFluxVersion(fluxVersion)
	if err != nil {
		return nil, err
	}
	kube, err := loadBundle(schemas.KubernetesBundlePrefix + version + schemas.KubernetesBundleSuffix)
	if err != nil {
		return nil, fmt.Errorf("load Kubernetes %s schemas: %w", version, err)
	}
	flux, err := loadBundle(schemas.FluxBundle)
	if err != nil {
		return nil, fmt.Errorf("load Flux schemas: %w", err)
	}
	view, err := fluxReleaseBundle(flux, release)
	if err != nil {
		return nil, err
	}
	operator, err := loadBundle(schemas.FluxOperatorBundle)
	if err != nil {
		return nil, fmt.Errorf("load Flux Operator schemas: %w", err)
	}
	patched, operatorDefs := operatorPatch(view)
	v := newValidator(version, kube, view, operator, &bundle{Definitions: patched})
	v.fluxVersion, v.operatorDefs = release, operatorDefs
	if v.lifecycle, err = newLifecycle(version); err != nil {
		return nil, err
	}
	if err := v.lifecycle.addFluxRemovals(flux, release); err != nil {
		return nil, err
	}
	return v, nil
}

// newValidator returns a Validator for the kinds and definitions of the
// given bundles; a later bundle's definition wins over an earlier one's.
func newValidator(version string, bundles ...*bundle) *Validator {
	defs := map[string]any{}
	for _, b := range bundles {
		maps.Copy(defs, b.Definitions)
	}
	v := &Validator{
		version:   version,
		catalog:   newCatalog(bundles...),
		defs:      definitionLoader{base: trustedSchemaURL + "kubernetes-" + version + "/", defs: defs},
		compiler:  jsonschema.NewCompiler(),
		compiled:  map[string]*compiledSchema{},
		lifecycle: &lifecycle{},
	}
	v.fluxCRDs = rawCRDs(bundles...)
	v.compiler.DefaultDraft(jsonschema.Draft2020)
	v.compiler.UseLoader(v.defs)
	return v
}

// KubernetesVersion returns the Kubernetes version v validates against,
// e.g. "1.37".
func (v *Validator) KubernetesVersion() string {
	return v.version
}

// Validate checks one object as decoded from YAML or JSON. It does not
// modify obj.
func (v *Validator) Validate(obj map[string]any) Result {
	return v.validate(obj, false)
}

// validate is Validate, with the schemas of a cluster whose Flux is
// installed by Flux Operator when operator is set.
func (v *Validator) validate(obj map[string]any, operator bool) Result {
	var replacement string
	k, ok := parseGVK(obj)
	if !ok || k.kind == "List" {
		return Result{Status: NoSchema}
	}
	sk, status, served := v.catalog.lookup(k)
	if status == NoSchema {
		if now, removedIn, ok := v.catalog.removedGroup(k); ok {
			return Result{Status: UnservedVersion, Served: now, RemovedIn: removedIn}
		}
	}
	if status != Valid {
		return Result{Status: status, Served: served, RemovedIn: v.lifecycle.removedIn[k]}
	}
	if def, ok := v.operatorDefs[k]; ok && operator {
		sk.definition = def
	}
	sk.deprecated, replacement = v.lifecycle.deprecation(k, sk.deprecated)
	sch, err := v.schema(sk.definition)
	if err != nil {
		// Every embedded schema compiles (the tests check it), so this
		// only happens with a broken bundle; report it as a violation
		// rather than hide the object.
		return Result{Status: Invalid, Deprecated: sk.deprecated, Violations: []Violation{{
			Rule:    RuleInvalid,
			Message: oneLine("schema for " + k.apiVersion() + " " + k.kind + " does not compile: " + err.Error()),
		}}}
	}
	res := Result{Status: Valid, Deprecated: sk.deprecated, Replacement: replacement, Violations: percentViolations(k, obj, v.check(sch, obj))}
	if len(res.Violations) > 0 {
		res.Status = Invalid
	}
	return res
}

// check validates value against a compiled schema.
func (v *Validator) check(sch *jsonschema.Schema, value any) []Violation {
	err := sch.Validate(normalize(value))
	if err == nil {
		return nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return []Violation{{Rule: RuleInvalid, Message: oneLine("invalid value: " + err.Error())}}
	}
	return violations(verr)
}

// schema compiles the named definition once and caches it.
func (v *Validator) schema(definition string) (*jsonschema.Schema, error) {
	v.mu.Lock()
	c, ok := v.compiled[definition]
	if !ok {
		c = &compiledSchema{}
		v.compiled[definition] = c
	}
	v.mu.Unlock()
	c.once.Do(func() {
		// The compiler shares compiled sub-schemas between calls.
		v.compileMu.Lock()
		defer v.compileMu.Unlock()
		c.schema, c.err = v.compiler.Compile(v.defs.url(definition))
		if c.err != nil {
			c.err = fmt.Errorf("compile %s: %w", definition, c.err)
		}
	})
	return c.schema, c.err
}

// compileAll compiles the schema of every served kind and returns the
// errors joined.
func (v *Validator) compileAll() error {
	var errs []error
	for _, sk := range v.catalog.served {
		if _, err := v.schema(sk.definition); err != nil {
			errs = append(errs, err)
		}
	}
	for _, def := range v.operatorDefs {
		if _, err := v.schema(def); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// ResolveKubernetesVersion returns the embedded Kubernetes version that
// version names ("1.35" or "v1.35"; "" names the newest), without loading
// its schemas. Any other version is an error that lists the embedded ones.
func ResolveKubernetesVersion(version string) (string, error) {
	versions := Versions()
	if len(versions) == 0 {
		return "", errors.New("no Kubernetes schemas are embedded")
	}
	v := strings.TrimPrefix(version, "v")
	if v == "" {
		return versions[len(versions)-1], nil
	}
	if !slices.Contains(versions, v) {
		return "", fmt.Errorf("unsupported Kubernetes version %q: supported versions are %s",
			version, strings.Join(versions, ", "))
	}
	return v, nil
}

// trustedSchemaURL is where the embedded schemas live for the JSON Schema
// compiler. The compiler validates each document it loads against its
// metaschema unless the document's URL is under json-schema.org, where the
// metaschemas themselves live; the embedded documents are fluxlint's own
// (TestEmbeddedSchemasMatchTheMetaschema validates them), so they are put
// there to skip validating several megabytes of definitions each run.
// Schemas from --schema-location are validated as usual.
const trustedSchemaURL = "https://json-schema.org/fluxlint/"
