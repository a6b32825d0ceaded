package flux

import (
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// FileFacts are what discovery reads in a parsed file, before it looks at
// the repository's folders: a pure function of the file's bytes (and of
// the repository's parse limits), which a FactsMemo may keep between runs
// so that a run whose files did not change parses none of them to find
// its clusters.
type FileFacts struct {
	// Manifest is mayBeManifest's answer: a document has a kind, or the
	// file does not parse cleanly.
	Manifest bool `json:"m,omitempty"`
	// SyncPaths are the spec.path of the Kustomizations
	// flux-system/flux-system, less those with variables.
	SyncPaths []string `json:"s,omitempty"`
	// Instances are the syncs of FluxInstances and flux-instance chart
	// values, less those whose path has variables.
	Instances []InstanceFact `json:"i,omitempty"`
}

// An InstanceFact is one sync a FluxInstance or flux-instance chart values
// name: the path and URL as written, and how it was found.
type InstanceFact struct {
	Path string `json:"p"`
	URL  string `json:"u,omitempty"`
	Via  string `json:"v"`
}

// A FactsMemo keeps the FileFacts of files between runs: Facts returns
// those of the file at rel, from read when it does not hold them.
type FactsMemo interface {
	Facts(rel string, read func() FileFacts) FileFacts
}

// factsOf returns the FileFacts of the file at rel, through memo when
// there is one.
func factsOf(repo *source.Repo, memo FactsMemo, rel string) FileFacts {
	if memo == nil {
		return readFacts(repo, rel)
	}
	return memo.Facts(rel, func() FileFacts { return readFacts(repo, rel) })
}

// readFacts parses the file at rel and reads its FileFacts. A file that
// cannot be read may be a manifest and names nothing.
func readFacts(repo *source.Repo, rel string) FileFacts {
	f, err := repo.File(rel)
	if err != nil {
		return FileFacts{Manifest: true}
	}
	facts := FileFacts{
		Manifest: len(f.Findings) > 0 || f.Refused != nil ||
			slices.ContainsFunc(f.Docs, func(d *source.Document) bool { return d.Str("kind") != "" }),
	}
	for _, d := range f.Docs {
		if p, ok := syncPathOf(d); ok {
			facts.SyncPaths = append(facts.SyncPaths, p)
		}
		if in, ok := instanceOf(d); ok {
			facts.Instances = append(facts.Instances, in)
		}
	}
	return facts
}

// syncPathOf returns the spec.path of a Kustomization flux-system in
// flux-system, unless it has variables.
func syncPathOf(d *source.Document) (string, bool) {
	if d.Str("kind") != "Kustomization" || model.Group(d.Str("apiVersion")) != model.GroupKustomize ||
		d.Str("metadata", "name") != "flux-system" || d.Str("metadata", "namespace") != "flux-system" {
		return "", false
	}
	p := d.Str("spec", "path")
	return p, !unresolved(p)
}

// instanceOf returns the sync of a FluxInstance (spec.sync), of a
// flux-instance chart's inline values (spec.values.instance.sync) or of a
// values file (instance.sync), unless its path has variables.
func instanceOf(d *source.Document) (InstanceFact, bool) {
	var at []string
	via := model.ViaChartValues
	switch kind, group := d.Str("kind"), model.Group(d.Str("apiVersion")); {
	case kind == "FluxInstance" && group == model.GroupOperator:
		at, via = []string{"spec", "sync"}, model.ViaFluxInstance
	case kind == "HelmRelease" && group == model.GroupHelm:
		at = []string{"spec", "values", "instance", "sync"}
	case kind == "" && d.Str("apiVersion") == "":
		at = []string{"instance", "sync"}
	default:
		return InstanceFact{}, false
	}
	p := d.Str(append(at, "path")...)
	if unresolved(p) {
		return InstanceFact{}, false
	}
	return InstanceFact{Path: p, URL: d.Str(append(at, "url")...), Via: via}, true
}

// unresolved reports whether a path is empty or has variables that only
// the render knows the value of.
func unresolved(p string) bool {
	return p == "" || strings.Contains(p, "${") || strings.Contains(p, "{{")
}
