package render

import (
	"bytes"
	"encoding/gob"
	"maps"
	"slices"

	"sigs.k8s.io/kustomize/api/resource"

	"github.com/fluxlint/fluxlint/internal/diskcache"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// renderBucket holds whole renders of Flux Kustomizations: the objects
// after substitution, as checks see them. A hit skips the kustomize build,
// the reading of its output and Flux's substitution, which reads and writes
// every object as YAML and JSON again: most of a render.
const renderBucket = "render-v1"

// A renderRecord is a cached render: the files its build read, and its
// objects, sealed under a key derived from the contents of those files and
// from the values of the substituted variables. A change to any of them
// makes the record unreadable, which is a miss; no value, a Secret's
// included, is kept in plain text.
type renderRecord struct {
	Read   []string
	Sealed []byte
}

// renderedObjects is what a renderRecord seals.
type renderedObjects struct {
	Objects []renderedObject
	// Secrets are the values of the variables read from Secrets.
	Secrets []string
}

// A renderedObject is one object of a cached render, with what its source
// is found by: kustomize's origin annotation and the resource's original
// kind and name, and its identity before substitution, which patches are
// matched against.
type renderedObject struct {
	Origin                         string
	OrgKind, OrgNamespace, OrgName string
	Built, Ref                     finding.ObjectRef
	// Content is encoded by appendContent.
	Content []byte
}

// renderKey names the record of one render: the build's folder and
// generated kustomization, and the substituted variables, by name, with
// the values of those that do not come from Secrets (two clusters often
// render one folder with different variables; each keeps a record).
func (bc *BuildCache) renderKey(p *plan, vars map[string]string, secret map[string]bool) string {
	parts := []string{bc.Salt, renderBucket, p.dir, string(p.manifest)}
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		v := vars[k]
		if secret[v] {
			v = ""
		}
		parts = append(parts, k+"="+v)
	}
	return diskcache.Key(parts...)
}

// renderSealKey derives the key that seals a render from the contents of
// the files it read and the values of all its variables.
func renderSealKey(read []string, vars map[string]string) []byte {
	parts := make([]string, 0, len(read)+len(vars))
	for _, path := range read {
		_, key := contentHashes(path)
		parts = append(parts, key)
	}
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		parts = append(parts, k+"="+vars[k])
	}
	return diskcache.SealKey(parts...)
}

// getRender returns a cached render and the files it read, when neither
// they nor the variables have changed.
func (bc *BuildCache) getRender(p *plan, vars map[string]string, secret map[string]bool) (*renderedObjects, []string, bool) {
	if bc == nil || bc.Store == nil {
		return nil, nil, false
	}
	data, ok := bc.Store.Get(renderBucket, bc.renderKey(p, vars, secret))
	if !ok {
		return nil, nil, false
	}
	var rec renderRecord
	if gob.NewDecoder(bytes.NewReader(data)).Decode(&rec) != nil {
		return nil, nil, false
	}
	plain, err := diskcache.Open(renderSealKey(rec.Read, vars), rec.Sealed)
	if err != nil {
		return nil, nil, false
	}
	var objs renderedObjects
	if gob.NewDecoder(bytes.NewReader(plain)).Decode(&objs) != nil {
		return nil, nil, false
	}
	return &objs, rec.Read, true
}

// putRender keeps a render.
func (bc *BuildCache) putRender(p *plan, vars map[string]string, secret map[string]bool, read []string, objs *renderedObjects) {
	if bc == nil || bc.Store == nil {
		return
	}
	var plain bytes.Buffer
	if gob.NewEncoder(&plain).Encode(objs) != nil {
		return
	}
	rec := renderRecord{Read: read}
	var err error
	if rec.Sealed, err = diskcache.Seal(renderSealKey(read, vars), plain.Bytes()); err != nil {
		return
	}
	var buf bytes.Buffer
	if gob.NewEncoder(&buf).Encode(rec) == nil {
		// A cache that cannot be written only makes the next run slower.
		_ = bc.Store.Put(renderBucket, bc.renderKey(p, vars, secret), buf.Bytes())
	}
}

// recordOf describes a built resource and the object made of it for the
// cache; ok is false when the content holds a type the cache cannot keep.
func recordOf(res *resource.Resource, obj *model.Object) (_ renderedObject, ok bool) {
	org := res.OrgId()
	rec := renderedObject{
		Origin: res.GetAnnotations()[annotationOrigin], OrgKind: org.Kind, OrgNamespace: org.Namespace, OrgName: org.Name,
		Built: refOf(res), Ref: obj.Ref,
	}
	rec.Content, ok = appendContent(nil, obj.Content)
	return rec, ok
}

// restore makes the object of a cached render again: its content as
// rendered, its source and patches found in the repository as it is now.
func (o renderedObject) restore(repo *source.Repo, req Request, dir string, patches []*model.Patch, secrets []string) (*model.Object, error) {
	decoded, rest, err := readContent(o.Content)
	content, ok := decoded.(map[string]any)
	if err != nil || !ok || len(rest) > 0 {
		return nil, errContent
	}
	obj := &model.Object{Chain: req.Chain, Ref: o.Built}
	locateOrigin(repo, obj, o.Origin, o.OrgKind, o.OrgNamespace, o.OrgName, dir)
	for _, p := range patches {
		if p.Applies(obj) {
			obj.Patches = append(obj.Patches, p)
		}
	}
	obj.Content, obj.Ref, obj.Secrets = content, o.Ref, secrets
	return obj, nil
}
