package schema

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
)

// A groupKind names a kind across its versions.
type groupKind struct{ group, kind string }

// A CRDSet is the CustomResourceDefinitions one cluster defines, by group
// and kind. Build it with Validator.CRDSet.
type CRDSet struct {
	kinds map[groupKind]*CRD
	// builtin are the CRDs of kinds the embedded schemas have, which
	// check only a kind whose CRD the cluster's FluxInstance deletes.
	builtin map[groupKind]*CRD
}

// A CRDError is a CRD that could not be read.
type CRDError struct {
	// Index is the position of the CRD in the list given to CRDSet.
	Index int
	Err   error
}

// crdCache compiles each distinct CRD (by content) once per Validator, so
// a CRD that several clusters share, or a chart rendered in several
// clusters, is compiled once per run.
type crdCache struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]*crdEntry
}

type crdEntry struct {
	once sync.Once
	crd  *CRD
	err  error
}

func (c *crdCache) compile(obj map[string]any) (*CRD, error) {
	data, err := json.Marshal(normalize(obj))
	if err != nil {
		return CompileCRD(obj)
	}
	key := sha256.Sum256(data)
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[[sha256.Size]byte]*crdEntry{}
	}
	e, ok := c.entries[key]
	if !ok {
		e = &crdEntry{}
		c.entries[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.crd, e.err = CompileCRD(obj) })
	return e.crd, e.err
}

// CRDSet compiles the CustomResourceDefinitions among objs (others are
// skipped) into the set of kinds they define. A CRD for a group that the
// embedded schemas already know (a Kubernetes API group, or Flux's, whose
// version is chosen with the Flux version) does not replace the embedded
// schemas and is left out. Later CRDs of the same group and kind win.
func (v *Validator) CRDSet(objs []map[string]any) (*CRDSet, []CRDError) {
	set := &CRDSet{kinds: map[groupKind]*CRD{}, builtin: map[groupKind]*CRD{}}
	var errs []CRDError
	for i, obj := range objs {
		if !IsCRD(obj) {
			continue
		}
		crd, err := v.crds.compile(obj)
		if err != nil {
			errs = append(errs, CRDError{Index: i, Err: err})
			continue
		}
		if _, builtin := v.catalog.groups[crd.Group]; builtin {
			set.builtin[groupKind{crd.Group, crd.Kind}] = crd
			continue
		}
		set.kinds[groupKind{crd.Group, crd.Kind}] = crd
	}
	return set, errs
}

// Len returns the number of kinds in the set.
func (s *CRDSet) Len() int {
	if s == nil {
		return 0
	}
	return len(s.kinds)
}

// ValidateIn checks one object like Validate, and, for a kind with no
// embedded schema, against the CRDs of set (which may be nil); for a kind
// that set does not define either, against the schema locations, then the
// CRD catalogue (Result.Source then names the catalogue's project).
func (v *Validator) ValidateIn(ctx context.Context, obj map[string]any, set *CRDSet, opts ValidateOptions) Result {
	res := v.validateEmbedded(ctx, obj, opts)
	if res.Status != NoSchema {
		return res
	}
	k, ok := parseGVK(obj)
	if !ok {
		return res
	}
	var source string
	crd, ok := set.crd(groupKind{k.group, k.kind}, opts)
	if !ok {
		located := v.validateLocated(ctx, obj, k, res)
		if located.Status != NoSchema {
			return located
		}
		var err error
		crd, source, err = v.catalogueCRD(k, opts.Catalogue)
		if err != nil {
			return Result{Status: Invalid, Source: source, Violations: []Violation{{Rule: RuleInvalid,
				Message: oneLine("the catalogue's CRD cannot be read: " + err.Error())}}}
		}
		if crd == nil {
			return located
		}
	}
	cv, ok := crd.versions[k.version]
	if !ok || !cv.served {
		return Result{Status: UnservedVersion, Served: crd.ServedVersions(), FromCRD: true, Source: source}
	}
	out := Result{Status: Valid, Deprecated: cv.deprecated, FromCRD: true, Source: source}
	out.Violations = append(v.validateMetadata(obj), cv.validate(ctx, obj, opts)...)
	return finish(out)
}

// finish sorts and de-duplicates the violations and sets the status.
func finish(res Result) Result {
	slices.SortFunc(res.Violations, func(a, b Violation) int {
		if lessViolation(a, b) {
			return -1
		}
		if lessViolation(b, a) {
			return 1
		}
		return 0
	})
	res.Violations = slices.CompactFunc(res.Violations, func(a, b Violation) bool {
		return slices.Equal(a.Path, b.Path) && a.Rule == b.Rule && a.Message == b.Message
	})
	if len(res.Violations) > 0 {
		res.Status = Invalid
	}
	return res
}

// objectMetaDef is the Kubernetes definition of metadata.
const objectMetaDef = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"

// validateMetadata checks a custom resource's metadata against the
// Kubernetes ObjectMeta schema, as the API server does for every object
// whatever its CRD says about metadata.
func (v *Validator) validateMetadata(obj map[string]any) []Violation {
	meta, ok := obj["metadata"]
	if !ok {
		return nil
	}
	sch, err := v.schema(objectMetaDef)
	if err != nil {
		return nil
	}
	vs := v.check(sch, meta)
	for i := range vs {
		vs[i].Path = append([]string{"metadata"}, vs[i].Path...)
	}
	return vs
}

// An embeddedCRD is a CRD of the embedded bundles, decoded and compiled
// the first time an object of its kind is validated.
type embeddedCRD struct {
	raw  json.RawMessage
	once sync.Once
	crd  *CRD
	err  error
}

// compiled returns the compiled CRD. It compiles through the Validator's
// cache, so a cluster's copy of the same CRD shares the work, but hashes
// the CRD only once: hashing it for each object would cost more than
// validating the object.
func (e *embeddedCRD) compiled(v *Validator) (*CRD, error) {
	e.once.Do(func() {
		obj, err := decodeRawCRD(e.raw)
		if err != nil {
			e.err = err
			return
		}
		e.crd, e.err = v.crds.compile(obj)
	})
	return e.crd, e.err
}

// decodeRawCRD decodes an embedded CRD, keeping numbers as json.Number as
// CRDs decoded from YAML have them.
func decodeRawCRD(raw json.RawMessage) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, fmt.Errorf("decode embedded CRD: %w", err)
	}
	return obj, nil
}

// crdGroupKind reads the group and kind a CRD in JSON defines.
func crdGroupKind(raw []byte) (groupKind, error) {
	var c struct {
		Spec struct {
			Group string `json:"group"`
			Names struct {
				Kind string `json:"kind"`
			} `json:"names"`
		} `json:"spec"`
	}
	err := json.Unmarshal(raw, &c)
	return groupKind{c.Spec.Group, c.Spec.Names.Kind}, err
}

// rawCRDs indexes the CRDs of the bundles by group and kind; a CRD whose
// group and kind cannot be read is left out.
func rawCRDs(bundles ...*bundle) map[groupKind]*embeddedCRD {
	out := map[groupKind]*embeddedCRD{}
	for _, b := range bundles {
		for _, raw := range b.CRDs {
			gk, err := crdGroupKind(raw)
			if err != nil {
				continue
			}
			out[gk] = &embeddedCRD{raw: raw}
		}
	}
	return out
}

// validateEmbedded checks obj against the embedded schemas and the CEL
// rules of the embedded Flux CRDs; NoSchema for a kind they do not have,
// or whose CRD the cluster's FluxInstance deletes.
func (v *Validator) validateEmbedded(ctx context.Context, obj map[string]any, opts ValidateOptions) Result {
	if k, ok := parseGVK(obj); ok && opts.deleted[groupKind{k.group, k.kind}] {
		return Result{Status: NoSchema}
	}
	res := v.validate(obj, opts.FluxOperator)
	if res.Status == Valid || res.Status == Invalid {
		res = v.fluxCEL(ctx, obj, res, opts)
	}
	return res
}

// crd returns the set's CRD of a kind: one of a kind the embedded schemas
// lack, or of one whose CRD the cluster's FluxInstance deletes. A nil set
// has none.
func (s *CRDSet) crd(gk groupKind, opts ValidateOptions) (*CRD, bool) {
	if s == nil {
		return nil, false
	}
	if crd, ok := s.kinds[gk]; ok {
		return crd, true
	}
	crd, ok := s.builtin[gk]
	return crd, ok && opts.deleted[gk]
}

// fluxCEL adds the violations of the CEL rules of an embedded Flux CRD to
// the result of its JSON schema, when that found nothing that would stop
// the API server from evaluating them.
func (v *Validator) fluxCEL(ctx context.Context, obj map[string]any, res Result, opts ValidateOptions) Result {
	if opts.SkipCEL {
		return res
	}
	for _, viol := range res.Violations {
		if viol.Rule != RuleUnknownField {
			return res
		}
	}
	k, ok := parseGVK(obj)
	if !ok {
		return res
	}
	embedded, ok := v.fluxCRDs[groupKind{k.group, k.kind}]
	if !ok {
		return res
	}
	crd, err := embedded.compiled(v)
	if err != nil {
		return res
	}
	cv, ok := crd.versions[k.version]
	if !ok {
		return res
	}
	res.Violations = append(res.Violations, cv.validateCEL(ctx, obj)...)
	return finish(res)
}

// validateLocated validates obj against a schema of the schema locations,
// if one has it; otherwise it returns res.
func (v *Validator) validateLocated(ctx context.Context, obj map[string]any, k gvk, res Result) Result {
	sch, err := v.locations.lookup(ctx, k)
	if err != nil {
		return Result{Status: Invalid, Violations: []Violation{{Rule: RuleInvalid, Message: oneLine(err.Error())}}}
	}
	if sch == nil {
		return res
	}
	return finish(Result{Status: Valid, Violations: v.check(sch, obj)})
}
