package affect

import (
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/source"
)

// scan reads the documents of a reached file for the Flux objects that
// reach further.
func (w *walker) scan(rel string) {
	if w.r.All || w.scanned[rel] {
		return
	}
	w.scanned[rel] = true
	w.r.Files[rel] = true
	f, err := w.repo.File(rel)
	if err != nil {
		if isDir, exists := w.kind(rel); !exists || isDir {
			return // a missing file: the render reports it
		}
		w.unresolved(err.Error())
		return
	}
	if !w.parsed(f) {
		return
	}
	w.docs(f.Docs)
}

// scanText reads inline YAML of a kustomization file, such as a patch.
func (w *walker) scanText(origin, text string) {
	if f := source.Parse(origin, []byte(text)); w.parsed(f) {
		w.docs(f.Docs)
	}
}

// parsed reports whether every document of f could be read; when not, the
// reach is unresolved.
func (w *walker) parsed(f *source.File) bool {
	if f.Refused != nil {
		w.unresolved(f.Path + ": " + f.Refused.Error())
		return false
	}
	for _, fd := range f.Findings {
		if fd.RuleID == source.RuleSyntax {
			w.unresolved(f.Path + " is not valid YAML")
			return false
		}
	}
	return true
}

// docs follows the Flux objects among the documents, and JSON 6902 patches
// that change their paths.
func (w *walker) docs(docs []*source.Document) {
	for _, d := range docs {
		if w.r.All {
			return
		}
		if d.Root().Kind == yaml.SequenceNode {
			w.jsonPatch(d.Root())
			continue
		}
		group, _, _ := strings.Cut(d.Str("apiVersion"), "/")
		switch kind := d.Str("kind"); {
		case group == "kustomize.toolkit.fluxcd.io" && kind == "Kustomization":
			w.fluxKustomization(d)
		case group == "source.toolkit.fluxcd.io" && kind == "GitRepository":
			w.gitRepos = append(w.gitRepos, d)
		case group == "source.extensions.fluxcd.io" && kind == "ArtifactGenerator":
			w.generators = append(w.generators, d)
		case group == "helm.toolkit.fluxcd.io" && kind == "HelmRelease":
			w.chart(d.Str("spec", "chart", "spec", "chart"), d.Str("spec", "chart", "spec", "sourceRef", "kind"),
				strs(d, "spec", "chart", "spec", "valuesFiles"))
		case group == "source.toolkit.fluxcd.io" && kind == "HelmChart":
			w.chart(d.Str("spec", "chart"), d.Str("spec", "sourceRef", "kind"),
				append(strs(d, "spec", "valuesFiles"), d.Str("spec", "valuesFile")))
		}
	}
}

// fluxKustomization follows spec.path and spec.components, in the source
// that spec.sourceRef names. A document without spec.path or
// spec.sourceRef is a patch that leaves the path alone; a Kustomization
// with a sourceRef and no path builds the source's root.
func (w *walker) fluxKustomization(d *source.Document) {
	p := d.Str("spec", "path")
	if _, hasSource := d.Lookup([]string{"spec", "sourceRef"}); p == "" && !hasSource {
		return
	}
	paths := []string{p}
	for _, c := range strs(d, "spec", "components") {
		paths = append(paths, path.Join(p, c))
	}
	kind, name := d.Str("spec", "sourceRef", "kind"), d.Str("spec", "sourceRef", "name")
	for _, p := range paths {
		if strings.Contains(p, "${") {
			w.unresolved("a Kustomization path with a variable: " + p)
			return
		}
		switch {
		case kind == "ExternalArtifact":
			w.externals = append(w.externals, pathIn{source: name, path: p})
		case (kind == "" || kind == "GitRepository") && name == "flux-system":
			if dir, ok := w.sourcePath(p); ok {
				w.fluxPath(dir)
			}
		case kind == "" || kind == "GitRepository":
			w.gitPaths = append(w.gitPaths, pathIn{source: name, path: p})
		}
		// Other kinds of source (OCIRepository, Bucket) are not rendered.
	}
}

// sourcePath resolves a path in a Flux source artifact, which Flux keeps
// inside the artifact's root as this does. The artifact is taken to be
// this repository: for another source this reaches too much, never too
// little. A variable makes the reach unresolved.
func (w *walker) sourcePath(p string) (string, bool) {
	if strings.Contains(p, "${") {
		w.unresolved("a path with a variable: " + p)
		return "", false
	}
	out := path.Join(".", strings.TrimLeft(p, "/"))
	for strings.HasPrefix(out, "../") || out == ".." {
		out = path.Join(".", strings.TrimPrefix(strings.TrimPrefix(out, ".."), "/"))
	}
	return out, true
}

// chart reaches the folder of a local chart and its values files; charts
// from chart repositories and registries are not in the repository.
func (w *walker) chart(chart, sourceKind string, values []string) {
	if sourceKind != "GitRepository" && sourceKind != "Bucket" || chart == "" {
		return
	}
	dir, ok := w.sourcePath(chart)
	if !ok {
		return
	}
	w.chartDir(dir)
	for _, v := range values {
		if v == "" {
			continue
		}
		if f, ok := w.sourcePath(v); ok {
			w.r.Files[f] = true
		}
	}
}

// chartDir reaches a chart folder and the local charts that its Chart.yaml
// depends on (repository: file://...).
func (w *walker) chartDir(dir string) {
	if w.r.Dirs[dir] {
		return
	}
	w.r.Dirs[dir] = true
	f, err := w.repo.File(path.Join(dir, "Chart.yaml"))
	if err != nil || len(f.Docs) == 0 {
		return // no chart there: the render reports it
	}
	deps, _ := f.Docs[0].Lookup([]string{"dependencies"})
	if deps.Value == nil || deps.Value.Kind != yaml.SequenceNode {
		return
	}
	for _, dep := range deps.Value.Content {
		repo, _ := source.LookupNode(dep, []string{"repository"})
		if repo.Value == nil {
			continue
		}
		if rel, ok := strings.CutPrefix(repo.Value.Value, "file://"); ok {
			if target, ok := join(dir, rel); ok {
				w.chartDir(target)
			}
		}
	}
}

// jsonPatch follows JSON 6902 operations that set a Kustomization's path
// or a HelmRelease's chart.
func (w *walker) jsonPatch(ops *yaml.Node) {
	for _, op := range ops.Content {
		p, _ := source.LookupNode(op, []string{"path"})
		v, _ := source.LookupNode(op, []string{"value"})
		if p.Value == nil || v.Value == nil || v.Value.Kind != yaml.ScalarNode {
			continue
		}
		switch target := p.Value.Value; {
		case target == "/spec/path":
			if dir, ok := w.sourcePath(v.Value.Value); ok {
				w.fluxPath(dir)
			}
		case target == "/spec/chart/spec/chart" || target == "/spec/chart":
			if dir, ok := w.sourcePath(v.Value.Value); ok {
				w.chartDir(dir)
			}
		case strings.Contains(target, "valuesFile"):
			if f, ok := w.sourcePath(v.Value.Value); ok {
				w.r.Files[f] = true
			}
		}
	}
}

// strs returns the strings of the sequence at path in d.
func strs(d *source.Document, path ...string) []string {
	n, ok := d.Lookup(path)
	if !ok || n.Value.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, c := range n.Value.Content {
		if c.Kind == yaml.ScalarNode {
			out = append(out, c.Value)
		}
	}
	return out
}
