package render

import (
	"maps"
	"slices"

	"sigs.k8s.io/kustomize/api/resource"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// renders holds whole renders of Flux Kustomizations: the objects after
// substitution, as checks see them. A hit skips the kustomize build, the
// reading of its output and Flux's substitution, which reads and writes
// every object as YAML and JSON again: most of a render.
func (bc *BuildCache) renders() cache.Bucket {
	return bc.Bucket("render-v2")
}

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
	// Files holds the layout of each YAML file the build read, by
	// repository path (source.Layout): their YAML findings and where
	// their documents are, so that a restore parses none of them; the
	// checks parse a document when they look into it.
	Files map[string]source.Layout
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
	// DocFile, when set, is the file of the object's source document,
	// DocIndex its index among the file's documents and DocAt its
	// position, as locateOrigin found them.
	DocFile  string
	DocIndex int
	DocAt    finding.Pos
}

// A recorder is the cache's part in one render: it restores the render
// from its record, or collects the record of the render made now and
// keeps it. A nil recorder does nothing: the run has no cache, or the
// render depends on what a record cannot stand for (a variable without a
// value, substitution findings).
type recorder struct {
	bucket cache.Bucket
	// key names the record: the build's folder and generated
	// kustomization, and the substituted variables, by name, with the
	// values of those that do not come from Secrets (two clusters often
	// render one folder with different variables; each keeps a record).
	key  string
	vars map[string]string
	// kept is the record collected; ok turns false when an object cannot
	// be kept.
	kept renderedObjects
	ok   bool
	// files hashes the files the render read (BuildCache.Files).
	files *cache.FileMemo
}

// recorder returns the recorder of a render of p with the substitution
// sub, or nil.
func (bc *BuildCache) recorder(p *plan, sub *substituter) *recorder {
	bucket := bc.renders()
	vars, secret, cacheable := sub.cacheInputs()
	if bucket.Store == nil || !cacheable {
		return nil
	}
	parts := []string{"render-v2", p.dir, string(p.manifest)}
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		v := vars[k]
		if secret[v] {
			v = ""
		}
		parts = append(parts, k+"="+v)
	}
	return &recorder{bucket: bucket, key: bucket.Key(parts...), vars: vars, ok: true, files: bc.files()}
}

// sealKey derives the key that seals a render from the contents of the
// files it read and the values of all its variables.
func (r *recorder) sealKey(read []string) []byte {
	parts := make([]string, 0, len(read)+len(r.vars))
	for _, path := range read {
		_, key := r.files.Hashes(path)
		parts = append(parts, key)
	}
	for _, k := range slices.Sorted(maps.Keys(r.vars)) {
		parts = append(parts, k+"="+r.vars[k])
	}
	return cache.SealKey(parts...)
}

// restore returns the render from its record, when the record still
// stands: neither the files the build read nor the variables changed.
func (r *recorder) restore(repo *source.Repo, req Request, p *plan) (Result, bool) {
	if r == nil {
		return Result{}, false
	}
	var rec renderRecord
	var kept renderedObjects
	if !r.bucket.Load(r.key, &rec) || !cache.Open(r.sealKey(rec.Read), rec.Sealed, &kept) {
		return Result{}, false
	}
	var out Result
	out.FilesRead, out.Findings = filesRead(repo, rec.Read, kept.Files)
	patches := collectPatches(repo, req, rec.Read, p.kfile, p.dir)
	for _, o := range kept.Objects {
		obj, err := o.restore(repo, req, p.dir, patches, &kept)
		if err != nil {
			return Result{}, false
		}
		out.Objects = append(out.Objects, obj)
	}
	return out, true
}

// failed notes that the build failed: what was rendered without its
// patches is not kept.
func (r *recorder) failed() {
	if r != nil {
		r.ok = false
	}
}

// add records a built resource and what converting it gave: an object
// without findings is kept, anything else makes the render one not kept.
func (r *recorder) add(res *resource.Resource, obj *model.Object, fs []finding.Finding) {
	if r == nil || !r.ok {
		return
	}
	if obj == nil || len(fs) > 0 {
		r.ok = false
		return
	}
	var rec renderedObject
	rec, r.ok = recordOf(res, obj)
	r.kept.Objects = append(r.kept.Objects, rec)
}

// keep keeps the record of a render whose build read the files read.
func (r *recorder) keep(repo *source.Repo, read []string, sub *substituter) {
	if r == nil || !r.ok {
		return
	}
	if sub != nil {
		r.kept.Secrets = sub.secretValues()
	}
	r.kept.Files = layouts(repo, read)
	sealed, err := cache.Seal(r.sealKey(read), &r.kept)
	if err != nil {
		return
	}
	r.bucket.Keep(r.key, renderRecord{Read: read, Sealed: sealed})
}

// recordOf describes a built resource and the object made of it for the
// cache; ok is false when the content holds a type the cache cannot keep.
func recordOf(res *resource.Resource, obj *model.Object) (_ renderedObject, ok bool) {
	org := res.OrgId()
	rec := renderedObject{
		Origin: res.GetAnnotations()[annotationOrigin], OrgKind: org.Kind, OrgNamespace: org.Namespace, OrgName: org.Name,
		Built: refOf(res), Ref: obj.Ref,
	}
	if obj.Doc != nil {
		rec.DocFile, rec.DocIndex, rec.DocAt = obj.Doc.File.Path, obj.Doc.Index, obj.Doc.Pos()
	}
	rec.Content, ok = appendContent(nil, obj.Content)
	return rec, ok
}

// layouts returns the layouts of the YAML files among those a build read
// (filesRead parsed them), by repository path.
func layouts(repo *source.Repo, read []string) map[string]source.Layout {
	out := map[string]source.Layout{}
	for _, abs := range read {
		rel, ok := repo.Rel(abs)
		if !ok || !source.IsYAMLName(rel) && !isKustomizationFile(rel) {
			continue
		}
		if f, err := repo.File(rel); err == nil {
			if l, ok := f.Layout(); ok {
				out[rel] = l
			}
		}
	}
	return out
}

// restore makes the object of a cached render again: its content as
// rendered, its source and patches found in the repository as it is now.
func (o renderedObject) restore(repo *source.Repo, req Request, dir string, patches []*model.Patch, kept *renderedObjects) (*model.Object, error) {
	decoded, rest, err := readContent(o.Content)
	content, ok := decoded.(map[string]any)
	if err != nil || !ok || len(rest) > 0 {
		return nil, errContent
	}
	obj := &model.Object{Chain: req.Chain, Ref: o.Built}
	if !o.placeDoc(repo, obj, kept.Files) {
		locateOrigin(repo, obj, o.Origin, o.OrgKind, o.OrgNamespace, o.OrgName, dir)
	}
	for _, p := range patches {
		if p.Applies(obj) {
			obj.Patches = append(obj.Patches, p)
		}
	}
	obj.Content, obj.Ref, obj.Secrets = content, o.Ref, kept.Secrets
	return obj, nil
}

// placeDoc gives a restored object the source document and position the
// record names, from the layout of its file, without parsing the file;
// false when the record names none, or one the file does not have.
func (o renderedObject) placeDoc(repo *source.Repo, obj *model.Object, files map[string]source.Layout) bool {
	l, ok := files[o.DocFile]
	if o.DocFile == "" || !ok {
		return false
	}
	f, err := repo.FileOfLayout(o.DocFile, l)
	if err != nil || o.DocIndex < 0 || o.DocIndex >= len(f.Docs) || o.DocAt.File != o.DocFile {
		return false
	}
	obj.Doc, obj.Origin = f.Docs[o.DocIndex], o.DocAt
	return true
}
