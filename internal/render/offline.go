package render

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/kbuild"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// placeholderPrefix names the empty files that stand, in a build's
// in-memory layer, for the remote files of generators.
const placeholderPrefix = ".fluxlint-remote-"

// withoutRemote returns the plan with what kustomize would fetch left out
// of its kustomizations, in an in-memory layer: remote resources,
// components and bases are dropped, and a generator's remote file is an
// empty one. An offline check builds the rest of the Kustomization so; a
// plan whose kustomizations cannot be rewritten is returned as it is.
func (p *plan) withoutRemote(remotes []*remoteKustomization) *plan {
	q, _ := p.rewritten(remotes, false)
	return q
}

// creatingReplaced returns the plan built without remote parts (made by
// withoutRemote) with each generator that replaces an object, in a
// kustomization that named a remote resource, creating it instead: the
// object it replaces comes from the remote base, which is left out, and
// the replacement is all of what Flux applies. It returns nil when no
// generator replaces one. A generator that replaces a local object then
// makes a second one, and the build fails as it did.
func (p *plan) creatingReplaced() *plan {
	q, changed := p.rewritten(p.remotes, true)
	if !changed || q == p {
		return nil
	}
	return q
}

// rewritten returns the plan with the kustomizations of remotes rewritten
// by rewriteRemote (from their data as written), and whether a replacing
// generator was made a creating one; p itself when one cannot be.
func (p *plan) rewritten(remotes []*remoteKustomization, create bool) (*plan, bool) {
	q := *p
	q.overlays = map[string][]byte{}
	q.remotes = remotes
	changed := false
	for _, k := range remotes {
		data, placeholders, created, err := rewriteRemote(k, create)
		if err != nil {
			return p, false
		}
		changed = changed || created
		file := k.file
		if file == "" || file == p.kfile {
			q.manifest = data
		} else {
			q.overlays[file] = data
		}
		for _, name := range placeholders {
			q.overlays[filepath.Join(k.dir, name)] = nil
		}
	}
	return &q, changed
}

// rewriteRemote returns a kustomization without its remote entries, and
// with each remote generator file replaced by a placeholder of the same
// key, with the names of the placeholders. With create, and remote entries
// to leave out, a generator of behavior replace creates its object, and
// created says whether one did.
func rewriteRemote(k *remoteKustomization, create bool) (data []byte, placeholders []string, created bool, err error) {
	var m map[string]any
	if err := yaml.Unmarshal(k.data, &m); err != nil {
		return nil, nil, false, err
	}
	for _, field := range []string{"resources", "components", "bases"} {
		if list, ok := m[field].([]any); ok {
			m[field] = slices.DeleteFunc(list, func(e any) bool {
				s, _ := e.(string)
				return slices.Contains(k.entries, s)
			})
		}
	}
	if len(k.entries) > 0 {
		targetPatches(m)
	}
	for _, field := range []string{"configMapGenerator", "secretGenerator"} {
		gens, _ := m[field].([]any)
		for _, g := range gens {
			gm, ok := g.(map[string]any)
			if !ok {
				continue
			}
			placeholders = rewriteGenerator(gm, placeholders)
			if create && len(k.entries) > 0 && gm["behavior"] == "replace" {
				delete(gm, "behavior")
				created = true
			}
		}
	}
	data, err = yaml.Marshal(m)
	return data, placeholders, created, err
}

// rewriteGenerator replaces the remote files of one generator by
// placeholders and drops its remote env files; it returns the placeholders
// named so far.
func rewriteGenerator(g map[string]any, placeholders []string) []string {
	if env, _ := g["env"].(string); env != "" && isRemoteSource(env) {
		delete(g, "env")
	}
	if envs, ok := g["envs"].([]any); ok {
		g["envs"] = slices.DeleteFunc(envs, func(e any) bool {
			s, _ := e.(string)
			return isRemoteSource(s)
		})
	}
	files, _ := g["files"].([]any)
	for i, f := range files {
		src, _ := f.(string)
		if !isRemoteSource(src) {
			continue
		}
		key, _, ok := strings.Cut(src, "=")
		if !ok {
			key = path.Base(strings.SplitN(strings.TrimSpace(src), "?", 2)[0])
		}
		name := fmt.Sprintf("%s%d", placeholderPrefix, len(placeholders))
		placeholders = append(placeholders, name)
		files[i] = strings.TrimSpace(key) + "=" + name
	}
	return placeholders
}

// crdURL matches a remote resource that by its name holds only
// CustomResourceDefinitions (cert-manager.crds.yaml, config/crd?ref=v1,
// x_crd.yaml).
var crdURL = regexp.MustCompile(`(?i)(^|[^a-z0-9])crds?([^a-z0-9]|$)`)

// remoteFinding reports the remote parts a Kustomization was built
// without, at the Kustomization's spec.path, or, for a Kustomization that
// no file of the repository writes (one a FluxInstance's sync makes), at
// the first remote entry of a kustomization file of the repository.
func remoteFinding(repo *source.Repo, root string, remotes []*remoteKustomization, at finding.Pos) finding.Finding {
	if at.Line == 0 {
		if pos, ok := remoteEntryPos(repo, remotes[0]); ok {
			at = pos
		}
	}
	msg := (&errRemote{file: remotes[0].rel(root), entry: remotes[0].first()}).Error()
	n := 0
	for _, k := range remotes {
		n += len(k.entries) + len(k.sources)
	}
	if n > 1 {
		msg += fmt.Sprintf(" (and %d more)", n-1)
	}
	return finding.Finding{
		RuleID: RuleRemote, Severity: finding.Warning, Pos: at,
		Message: msg + "; the rest of this Kustomization is checked without it",
		Hint:    "vendor the remote base into the repository to have all of it checked",
	}
}

// remoteGaps says what the remote resources left out of a build may make:
// CustomResourceDefinitions when the URL says so, else objects of any
// kind, in the namespace kustomize gives them or, without one, in any
// namespace the cluster's renders do not make (an install manifest brings
// its own) and in the namespaces the kustomization's patches name (the
// remote objects they patch are there, even when the repository makes the
// namespace and the patches delete the install manifest's own). A remote
// generator file leaves only content out, no object.
func remoteGaps(ks finding.ObjectRef, remotes []*remoteKustomization) []model.Gap {
	var out []model.Gap
	for _, k := range remotes {
		for _, e := range k.entries {
			g := model.Gap{Object: ks, Kind: model.PartlyBuilt, Rule: RuleRemote, Namespace: k.namespace}
			if crdURL.MatchString(e) {
				g.Kinds = []string{"CustomResourceDefinition"}
			}
			out = append(out, g)
			if k.namespace == "" && g.Kinds == nil {
				out = append(out, patchedGaps(ks, k)...)
			}
		}
	}
	return out
}

// patchedGaps returns, for a kustomization without a namespace field, a
// gap of objects of any kind in each namespace its patches name: its
// remote resources, which the patches change, live there.
func patchedGaps(ks finding.ObjectRef, k *remoteKustomization) []model.Gap {
	var out []model.Gap
	for _, ns := range k.patchNamespaces {
		out = append(out, model.Gap{Object: ks, Kind: model.PartlyBuilt, Rule: RuleRemote, Namespace: ns})
	}
	return out
}

// renderWithoutRemote renders a plan built without its remote parts: the
// objects of the rest, a warning that names what was left out, and the
// gaps it leaves. When the rest does not build alone, it is built again
// with the generators that replace an object of a remote base creating
// it (creatingReplaced); when that fails too (a patch of a remote base),
// nothing is checked, as with any unreadable source. Such renders
// are not kept in the render cache.
func (p *plan) renderWithoutRemote(repo *source.Repo, req Request, sub *substituter) Result {
	ks := sourceRef(req)
	b, err := p.build(req.Build)
	if q := p.creatingReplaced(); err != nil && q != nil {
		if qb, qerr := q.build(req.Build); qerr == nil {
			p, b, err = q, qb, nil
		}
	}
	if err != nil {
		gaps := []model.Gap{{Object: ks, Kind: model.NotBuilt, Rule: RuleRemote}}
		for _, k := range p.remotes {
			if k.namespace == "" && slices.ContainsFunc(k.entries, func(e string) bool { return !crdURL.MatchString(e) }) {
				gaps = append(gaps, patchedGaps(ks, k)...)
			}
		}
		return Result{Findings: buildFailure(repo, req, findRemote(req.Artifact.Root, p.dir, p.remotes[0].data)), Gaps: gaps}
	}
	var out Result
	out.FilesRead, out.Findings = filesRead(repo, b.filesRead, nil)
	out.Findings = append(out.Findings, remoteFinding(repo, req.Artifact.Root, p.remotes, req.At))
	out.Gaps = remoteGaps(ks, p.remotes)
	if sub != nil {
		out.Findings = append(out.Findings, sub.findings...)
	}
	kbuild.Reading(func() { p.convertAll(repo, req, b, sub, nil, &out) })
	return out
}

// sourceRef returns the Flux Kustomization a request renders, or the zero
// ref for a cluster's entry folder.
func sourceRef(req Request) finding.ObjectRef {
	if req.Source == nil {
		return finding.ObjectRef{}
	}
	return req.Source.Ref
}

// remoteEntryPos returns where the first remote resource, component or
// base of a kustomization file of the repository is written; ok is false
// for the kustomization Flux generated, a file outside the repository, or
// a remote generator file.
func remoteEntryPos(repo *source.Repo, k *remoteKustomization) (finding.Pos, bool) {
	if k.file == "" || len(k.entries) == 0 {
		return finding.Pos{}, false
	}
	doc, ok := firstDocument(repo, k.file)
	if !ok {
		return finding.Pos{}, false
	}
	for _, field := range []string{"resources", "components", "bases"} {
		list, _ := doc.Object()[field].([]any)
		for i, e := range list {
			if e == k.entries[0] {
				return doc.PosOf([]string{field, strconv.Itoa(i)}), true
			}
		}
	}
	return finding.Pos{}, false
}
