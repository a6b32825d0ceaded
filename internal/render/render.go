package render

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/kbuild"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// Rule IDs of the findings a render makes.
const (
	RuleBuild           = "render-kustomize-build"
	RuleIdentity        = "render-object-identity"
	RuleUnresolved      = "render-unresolved-variable"
	RuleSubstituteFrom  = "render-substitute-from-missing"
	RuleSubstitute      = "render-substitution"
	annotationOrigin    = "config.kubernetes.io/origin"
	annotationTransform = "alpha.config.kubernetes.io/transformations"
)

// An Env gives a render the objects its cluster has rendered so far, where
// substituteFrom looks up ConfigMaps and Secrets.
type Env interface {
	Lookup(kind, namespace, name string) *model.Object
	// MadeBy names what makes an object that is not rendered but will
	// exist once the cluster's objects are applied (an ExternalSecret's
	// Secret), or "".
	MadeBy(kind, namespace, name string) string
	// DefinedOutside returns where the repository defines an object of a
	// kind and name in a file that no render of the cluster has read (a
	// manifest applied by hand or at bootstrap).
	DefinedOutside(kind, name string) (finding.Pos, bool)
}

// A Request asks for the render of one Flux Kustomization.
type Request struct {
	Build
	// Source is the Flux Kustomization as rendered in its cluster, for the
	// positions of its fields; nil for a cluster's entry folder.
	Source *model.Object
	// Chain is the chain of producers given to every rendered object.
	Chain []string
	// At is where a failed build is reported.
	At finding.Pos
	// Lenient substitutes a variable without a value by an empty string,
	// as kustomize-controller did before v1.9 (Flux 2.9) made strict
	// substitution the default, and does with its
	// StrictPostBuildSubstitutions feature gate turned off; it is then a
	// warning, not an error.
	Lenient bool
	// VarsUnknown says that variables the cluster adds to the
	// Kustomization at admission (a mutating webhook's) are not all known
	// offline: a variable without a value is then no finding. SecretValues
	// are those of its variables that come from Secrets, never printed.
	VarsUnknown  bool
	SecretValues []string
	// Memo, when set, keeps renders between runs of one process; Cluster
	// names the cluster rendered (its name and entry folder), for a
	// Kustomization that two clusters render is two renders.
	Memo    *Memo
	Cluster string
}

// A Result is the output of a render: objects, findings and the repository
// paths of the files the build read.
type Result struct {
	Objects   []*model.Object
	Findings  []finding.Finding
	FilesRead []string
	// Gaps say what the render left out (remote resources offline).
	Gaps []model.Gap
}

// Render builds one Flux Kustomization as the kustomize-controller would,
// substitutes its variables, and maps every object back to its source. A
// failure is a finding at req.At; Render itself never fails. With a
// req.Cache, a render whose inputs are unchanged is restored from its
// record (rendercache.go); with a req.Memo, from memory (memo.go).
func Render(ctx context.Context, repo *source.Repo, req Request, env Env) Result {
	sub := newSubstituter(ctx, req, env)
	key, memo := req.Memo.memoKey(req, sub)
	if memo {
		if res, ok := req.Memo.get(key); ok {
			return res
		}
	}
	res := renderNow(repo, req, sub)
	if memo && ctx.Err() == nil {
		req.Memo.put(key, req, res)
	}
	return res
}

// renderNow renders a Kustomization from its record or with kustomize.
func renderNow(repo *source.Repo, req Request, sub *substituter) Result {
	p, err := planBuild(repo, req.Build)
	if err != nil {
		res := Result{Findings: buildFailure(repo, req, err)}
		if remote := (*errRemote)(nil); errors.As(err, &remote) {
			res.Gaps = []model.Gap{{Object: sourceRef(req), Kind: model.NotBuilt, Rule: RuleRemote}}
		}
		return res
	}
	if p.remotes != nil {
		return p.renderWithoutRemote(repo, req, sub)
	}
	rec := req.Cache.recorder(p, sub)
	if res, ok := rec.restore(repo, req, p); ok {
		return res
	}
	var out Result
	b, err := p.build(req.Build)
	if b != nil {
		out.FilesRead, out.Findings = filesRead(repo, b.filesRead, nil)
	}
	if err != nil {
		if b = p.buildFailed(repo, req, err, &out); b == nil {
			return out
		}
		rec.failed()
	}
	own := sub
	kbuild.Reading(func() { own = sub.withOwnOutput(b.resources) })
	if own != sub {
		sub = own
		rec.failed()
	}
	if sub != nil {
		out.Findings = append(out.Findings, sub.findings...)
	}
	kbuild.Reading(func() { p.convertAll(repo, req, b, sub, rec, &out) })
	return out
}

// convertAll turns the built resources into objects mapped to their
// sources, and records them for the render cache. It reads the resources,
// so it runs under kbuild.Reading.
func (p *plan) convertAll(repo *source.Repo, req Request, b *built, sub *substituter, rec *recorder, out *Result) {
	patches := collectPatches(repo, req, b.filesRead, p.kfile, p.dir)
	for _, res := range b.resources.Resources() {
		obj, fs := convert(repo, req, res, p.dir, p.keepMeta, patches, sub)
		out.Findings = append(out.Findings, fs...)
		if obj != nil {
			out.Objects = append(out.Objects, obj)
		}
		rec.add(res, obj, fs)
	}
	rec.keep(repo, b.filesRead, sub)
}

// filesRead returns the repository paths of the regular files a build
// read, and the YAML findings of those files. A file with a layout in
// layouts (a restored render's record) is made from it, not parsed.
func filesRead(repo *source.Repo, read []string, layouts map[string]source.Layout) ([]string, []finding.Finding) {
	var paths []string
	var fs []finding.Finding
	for _, abs := range read {
		info, err := os.Stat(abs)
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		rel, ok := repo.Rel(abs)
		if !ok {
			continue
		}
		paths = append(paths, rel)
		if !source.IsYAMLName(rel) && !isKustomizationFile(rel) {
			continue
		}
		var f *source.File
		if l, ok := layouts[rel]; ok {
			f, err = repo.FileOfLayout(rel, l)
		} else {
			f, err = repo.File(rel)
		}
		if err == nil {
			fs = append(fs, f.Findings...)
		}
	}
	return paths, fs
}

func isKustomizationFile(rel string) bool {
	return slices.Contains(konfig.RecognizedKustomizationFileNames(), filepath.Base(rel))
}

var decodeFailure = regexp.MustCompile(`failed to decode Kubernetes YAML from (\S+?):`)

// buildFailure turns a build error into findings: one at the Kustomization,
// and, when Flux generated a kustomization.yaml and met a file that is not a
// manifest, one at each such file it would read.
func buildFailure(repo *source.Repo, req Request, err error) []finding.Finding {
	var remote *errRemote
	if errors.As(err, &remote) {
		return []finding.Finding{{
			RuleID: RuleRemote, Severity: finding.Warning, Pos: req.At,
			Message: remote.Error() + "; this Kustomization is not checked",
			Hint:    "vendor the remote base into the repository to have it checked",
		}}
	}
	msg := strings.ReplaceAll(err.Error(), repo.Root+string(filepath.Separator), "")
	msg = oneLine(strings.ReplaceAll(msg, repo.Root, "."))
	out := []finding.Finding{{
		RuleID: RuleBuild, Severity: finding.Error, Pos: req.At,
		Message: "kustomize build failed: " + msg,
	}}
	if req.Artifact != nil {
		if pos, ok := missingEntry(repo, req.Artifact.Root, err); ok {
			// The entry that names the missing file is the line to edit.
			out[0].Pos = pos
		}
	}
	if out[0].Pos.Line == 0 {
		// An entry folder, which no Flux Kustomization of the repository
		// names: its kustomization file, when it has one.
		out[0].Pos = folderAt(repo, out[0].Pos.File)
	}
	if !decodeFailure.MatchString(err.Error()) {
		return out
	}
	dir, derr := securePath(req.Artifact, req.Path)
	if derr != nil {
		return out
	}
	for _, rel := range scanNonManifests(repo, req.Artifact, dir) {
		f := finding.Finding{
			RuleID: source.RuleNotObject, Severity: finding.Error, Pos: finding.Pos{File: rel, Line: 1, Col: 1},
			Message: fmt.Sprintf("Flux reads this file as a manifest (spec.path %q has no kustomization.yaml) but it is not a Kubernetes object", req.Path),
		}
		if file, ferr := repo.File(rel); ferr == nil && len(file.Findings) > 0 {
			f.Pos = file.Findings[0].Pos
			f.Message += ": " + file.Findings[0].Message
		}
		out = append(out, f)
	}
	return out
}

// buildFailed reports a failed build at the failing patch when it can tell
// which, and returns the build without the kustomization's patches, so that
// one failing patch does not hide the rest; nil when that fails too.
func (p *plan) buildFailed(repo *source.Repo, req Request, err error, out *Result) *built {
	out.Findings = append(out.Findings, buildFailure(repo, req, err)...)
	last := &out.Findings[len(out.Findings)-1]
	if pos, ok := failingPatch(repo, out.FilesRead, err); ok {
		last.Pos = pos
	}
	q := p.withoutPatches()
	if q == p {
		return nil
	}
	b, err := q.build(req.Build)
	if err != nil {
		return nil
	}
	if last.RuleID == RuleBuild {
		last.Message += "; the objects it builds without its patches are checked"
	}
	return b
}

// missingPatchPath matches the path of a JSON 6902 operation that does not
// apply, in kustomize's error.
var missingPatchPath = regexp.MustCompile(`missing path: (/[^\s:]*)`)

// unmatchedPatch matches the ID kustomize gives a strategic merge patch
// that no resource matches: Kind.version.group/name.namespace.
var unmatchedPatch = regexp.MustCompile(`no resource matches strategic merge patch "([^".]+)\.([^".]+)\.([^"/]*)/([^".]+)\.([^"]*)"`)

// failingPatch finds the operation of a JSON 6902 patch whose path the
// build error names, or the strategic merge patch that matches nothing, in
// the files the build read: the line to edit.
func failingPatch(repo *source.Repo, read []string, err error) (finding.Pos, bool) {
	if m := unmatchedPatch.FindStringSubmatch(err.Error()); m != nil {
		apiVersion := m[2]
		if m[3] != "" && m[3] != "[noGrp]" {
			apiVersion = m[3] + "/" + m[2]
		}
		return unmatchedPatchPos(repo, read, apiVersion, m[1], m[4])
	}
	m := missingPatchPath.FindStringSubmatch(err.Error())
	if m == nil {
		return finding.Pos{}, false
	}
	for _, rel := range read {
		f, ferr := repo.File(rel)
		if ferr != nil {
			continue
		}
		for _, d := range f.Docs {
			for _, text := range []string{"path: " + m[1], `path: "` + m[1], "path: '" + m[1]} {
				if pos, ok := d.FindText(text); ok && boundaryAfter(d.File.Lines[pos.Line-1], pos.Col-1+len(text)) {
					pos.Col += len("path: ")
					return pos, true
				}
			}
		}
	}
	return finding.Pos{}, false
}

// unmatchedPatchPos finds, in the files the build read, the patch of an
// apiVersion, kind and name that matched no resource (the resource it
// meant has the same kind and name, so the patch is the document with the
// error's apiVersion), and points at its apiVersion, where the identity
// that matched nothing starts. A patch that several files could be is not
// told apart.
func unmatchedPatchPos(repo *source.Repo, read []string, apiVersion, kind, name string) (finding.Pos, bool) {
	var found []*source.Document
	for _, rel := range read {
		f, err := repo.File(rel)
		if err != nil {
			continue
		}
		for _, d := range f.Docs {
			if d.Str("apiVersion") == apiVersion && d.Str("kind") == kind && d.Str("metadata", "name") == name {
				found = append(found, d)
			}
		}
	}
	if len(found) != 1 {
		return finding.Pos{}, false
	}
	return found[0].PosOf([]string{"apiVersion"}), true
}

// scanNonManifests lists the YAML files that Flux's generator would read
// under dir (walkGenerated) and that are not Kubernetes objects.
func scanNonManifests(repo *source.Repo, a *Artifact, dir string) []string {
	var out []string
	_ = walkGenerated(a, dir, func(p string) error {
		rel, ok := repo.Rel(p)
		if !ok {
			return nil
		}
		if file, err := repo.File(rel); err == nil && !isManifest(file) {
			out = append(out, rel)
		}
		return nil
	})
	return out
}

// isManifest reports whether every document of a file is a Kubernetes
// object with apiVersion and kind.
func isManifest(f *source.File) bool {
	if len(f.Findings) > 0 {
		return false
	}
	for _, d := range f.Docs {
		if d.Str("apiVersion") == "" || d.Str("kind") == "" {
			return false
		}
	}
	return true
}

// collectPatches gathers the patches of every kustomization file the build
// read, then those of the top folder (kfile), then the Flux Kustomization's
// own, in the order kustomize applies them.
func collectPatches(repo *source.Repo, req Request, read []string, kfile, dir string) []*model.Patch {
	var inner, top []*model.Patch
	for _, abs := range read {
		if !isKustomizationFile(abs) || abs == kfile {
			continue
		}
		rel, ok := repo.Rel(abs)
		if !ok {
			continue
		}
		if f, err := repo.File(rel); err == nil && len(f.Docs) > 0 {
			inner = append(inner, patchesOfKustomization(repo, f.Docs[0], filepath.Dir(abs))...)
		}
	}
	if rel, ok := repo.Rel(kfile); ok {
		if f, err := repo.File(rel); err == nil && len(f.Docs) > 0 {
			top = patchesOfKustomization(repo, f.Docs[0], dir)
		}
	}
	all := append(inner, top...)
	return append(all, patchesOfFluxKustomization(repo, req.Source, dir)...)
}

// convert makes an Object of a built resource: identity check, variable
// substitution, origin and patches.
func convert(repo *source.Repo, req Request, res *resource.Resource, dir string, keepMeta bool, patches []*model.Patch, sub *substituter) (*model.Object, []finding.Finding) {
	obj := &model.Object{Chain: req.Chain}
	org := res.OrgId()
	locateOrigin(repo, obj, res.GetAnnotations()[annotationOrigin], org.Kind, org.Namespace, org.Name, dir)
	if obj.Origin.File == "" {
		// A file outside the repository (a source mapped to another
		// folder): findings stand where the Kustomization asks for it.
		obj.Origin = req.At
	}
	obj.Ref = refOf(res)
	for _, p := range patches {
		if p.Applies(obj) {
			obj.Patches = append(obj.Patches, p)
		}
	}
	if obj.Ref.APIVersion == "" || obj.Ref.Kind == "" || obj.Ref.Name == "" {
		return nil, []finding.Finding{{
			RuleID: RuleIdentity, Severity: finding.Error, Pos: obj.Origin, Object: obj.Ref, Chain: req.Chain,
			Message: "object has no apiVersion, kind or metadata.name; Flux rejects the whole Kustomization",
		}}
	}
	if f, ok := encryptedIdentity(req, res, obj); ok {
		return nil, []finding.Finding{f}
	}
	var fs []finding.Finding
	if sub != nil {
		var subbed *resource.Resource
		subbed, fs = sub.apply(res, obj)
		if subbed == nil {
			return nil, fs
		}
		res = subbed
	}
	content, err := kbuild.Decode(&res.RNode)
	if err != nil {
		return nil, append(fs, finding.Finding{RuleID: RuleBuild, Severity: finding.Error, Pos: obj.Origin, Object: obj.Ref, Chain: req.Chain,
			Message: "kustomize cannot read the object: " + oneLine(err.Error())})
	}
	if !keepMeta {
		stripBuildMetadata(content)
	}
	obj.Content = content
	obj.Ref = refOf(res)
	if sub != nil {
		obj.Secrets = sub.secretValues()
	}
	return obj, fs
}

func refOf(res *resource.Resource) finding.ObjectRef {
	return finding.ObjectRef{APIVersion: res.GetApiVersion(), Kind: res.GetKind(), Namespace: res.GetNamespace(), Name: res.GetName()}
}

// An origin is kustomize's record of where a resource comes from.
type origin struct {
	Path         string `json:"path"`
	ConfiguredIn string `json:"configuredIn"`
	ConfiguredBy struct {
		Kind string `json:"kind"`
	} `json:"configuredBy"`
}

// locateOrigin finds the source document of a resource from the origin
// annotation kustomize wrote, or the generator entry that made it; kind
// and name are the resource's before any transformer renamed it.
func locateOrigin(repo *source.Repo, obj *model.Object, annotation, kind, namespace, name, dir string) {
	var o origin
	if err := yaml.Unmarshal([]byte(annotation), &o); err != nil {
		return
	}
	if o.Path != "" {
		rel, ok := repo.Rel(filepath.Join(dir, decodePath(filepath.FromSlash(o.Path))))
		if !ok {
			return
		}
		obj.Origin = finding.Pos{File: rel}
		if f, err := repo.File(rel); err == nil {
			if d := originDoc(f, kind, namespace, name); d != nil {
				obj.Doc = d
				obj.Origin = d.Pos()
			}
		}
		return
	}
	if o.ConfiguredIn == "" {
		return
	}
	rel, ok := repo.Rel(filepath.Join(dir, decodePath(filepath.FromSlash(o.ConfiguredIn))))
	if !ok {
		return
	}
	obj.Origin = finding.Pos{File: rel, Line: 1, Col: 1}
	field := map[string]string{"ConfigMapGenerator": "configMapGenerator", "SecretGenerator": "secretGenerator"}[o.ConfiguredBy.Kind]
	f, err := repo.File(rel)
	if err != nil || len(f.Docs) == 0 || field == "" {
		return
	}
	list, ok := f.Docs[0].Lookup([]string{field})
	if !ok {
		return
	}
	for i := range list.Value.Content {
		if generated := f.Docs[0].Str(field, fmt.Sprint(i), "name"); generated == name || isHashed(name, generated) {
			obj.Origin = f.Docs[0].PosOf([]string{field, fmt.Sprint(i), "name"})
			obj.Generator = &model.GeneratorEntry{Doc: f.Docs[0], Path: []string{field, fmt.Sprint(i)}}
		}
	}
}

// originDoc returns the document of f that a resource comes from: the one
// of its kind, namespace and name before any transformer renamed it, else
// the one a namePrefix or nameSuffix renamed (renamedDoc).
func originDoc(f *source.File, kind, namespace, name string) *source.Document {
	if d := f.FindIn(kind, namespace, name); d != nil {
		return d
	}
	return renamedDoc(f, kind, name)
}

// renamedDoc returns the document of f of the kind whose name a namePrefix
// or nameSuffix turned into name (prefix, its name, suffix), the longest
// name when several fit, or nil. kustomize drops the names that resources
// had before a transformer renamed them at the end of a build, so the
// name of the origin's document is known only as a part of the new one.
func renamedDoc(f *source.File, kind, name string) *source.Document {
	var best *source.Document
	longest := 0
	for _, d := range f.Docs {
		n := d.Str("metadata", "name")
		if d.Str("kind") == kind && len(n) > longest && strings.Contains(name, n) {
			best, longest = d, len(n)
		}
	}
	return best
}

// isHashed reports whether name is a generator's name with the hash suffix
// kustomize adds ("-" and ten characters).
func isHashed(name, generated string) bool {
	rest, ok := strings.CutPrefix(name, generated+"-")
	return ok && len(rest) == 10 && !strings.Contains(rest, "-")
}

// stripBuildMetadata removes the annotations fluxlint asked kustomize for.
func stripBuildMetadata(content map[string]any) {
	meta, _ := content["metadata"].(map[string]any)
	ann, _ := meta["annotations"].(map[string]any)
	if ann == nil {
		return
	}
	delete(ann, annotationOrigin)
	delete(ann, annotationTransform)
	if len(ann) == 0 {
		delete(meta, "annotations")
	}
}

// Unstructured wraps a decoded Flux object for the fluxcd/pkg generator.
func Unstructured(content map[string]any) unstructured.Unstructured {
	return unstructured.Unstructured{Object: content}
}

// oneLine shortens a kustomize error to one line without the resource it
// quotes, which may hold secret values. kustomize wraps the error of each
// folder it recursed into around the next one, so the cause is at the end
// (a duplicate resource id three bases down): a long message keeps its
// start, which names the folder built, and its end.
func oneLine(msg string) string {
	if i := strings.Index(msg, " for the following resource"); i >= 0 {
		msg = msg[:i]
	}
	fields := strings.Fields(msg)
	msg = strings.Join(fields, " ")
	const head, tail = 150, 250
	if len(msg) > head+tail+5 {
		msg = strings.ToValidUTF8(msg[:head], "") + " ... " + strings.ToValidUTF8(msg[len(msg)-tail:], "")
	}
	return msg
}
