package affect

import (
	"encoding/json"
	"strings"

	"sigs.k8s.io/kustomize/api/types"

	"github.com/fluxlint/fluxlint/internal/source"
)

// kustomize visits a kustomize folder: its kustomization file and every
// file or folder that the file names.
func (w *walker) kustomize(dir string) {
	if w.r.All || w.kustDirs[dir] {
		return
	}
	w.kustDirs[dir] = true
	kf := w.kustFile(dir)
	if kf == "" {
		// kustomize refuses a folder without one; the render reports it.
		w.r.Dirs[dir] = true
		return
	}
	w.r.Files[kf] = true
	k, ok := w.readKustomization(kf)
	if !ok {
		return
	}
	refs := references(k)
	for _, p := range refs.resources {
		w.resource(dir, p)
	}
	for _, text := range refs.inline {
		w.scanText(kf, text)
	}
	for _, p := range refs.files {
		w.file(dir, p)
	}
}

// refs are what a kustomization file names: resources to build, inline
// YAML, and files or folders it reads.
type refs struct {
	resources, inline, files []string
}

// references lists what a kustomization reads, field by field.
func references(k types.Kustomization) refs {
	var r refs
	r.resources = append(append([]string{}, k.Resources...), k.Components...)
	// Generators, transformers and validators are files, folders or
	// inline YAML.
	for _, list := range [][]string{k.Generators, k.Transformers, k.Validators} {
		for _, p := range list {
			if strings.Contains(p, "\n") {
				r.inline = append(r.inline, p)
			} else {
				r.resources = append(r.resources, p)
			}
		}
	}
	r.files = append(append([]string{}, k.Crds...), k.Configurations...)
	if p := k.OpenAPI["path"]; p != "" {
		r.files = append(r.files, p)
	}
	for _, rf := range k.Replacements {
		r.files = append(r.files, rf.Path)
	}
	for _, p := range k.Patches {
		if p.Path != "" {
			r.files = append(r.files, p.Path)
		}
		if p.Patch != "" {
			r.inline = append(r.inline, p.Patch)
		}
	}
	for _, g := range k.ConfigMapGenerator {
		r.files = append(r.files, generatorFiles(g.KvPairSources)...)
	}
	for _, g := range k.SecretGenerator {
		r.files = append(r.files, generatorFiles(g.KvPairSources)...)
	}
	r.files = append(r.files, helmFiles(k)...)
	return r
}

// helmFiles returns the chart home and values files of helmCharts.
func helmFiles(k types.Kustomization) []string {
	if len(k.HelmCharts) == 0 && k.HelmGlobals == nil {
		return nil
	}
	out := []string{"charts"}
	if k.HelmGlobals != nil && k.HelmGlobals.ChartHome != "" {
		out[0] = k.HelmGlobals.ChartHome
	}
	for _, c := range k.HelmCharts {
		if c.ValuesFile != "" {
			out = append(out, c.ValuesFile)
		}
		out = append(out, c.AdditionalValuesFiles...)
	}
	return out
}

// moveDeprecated moves the deprecated fields that kustomize still reads
// into their successors, as kustomize edit fix does.
func moveDeprecated(k *types.Kustomization) {
	k.FixKustomization()                                // bases, env, helmChartInflationGenerator
	k.Patches = append(k.Patches, k.PatchesJson6902...) //nolint:staticcheck // SA1019: kustomize still reads it
	for _, p := range k.PatchesStrategicMerge {         //nolint:staticcheck // SA1019: kustomize still reads it
		if strings.Contains(string(p), "\n") {
			k.Patches = append(k.Patches, types.Patch{Patch: string(p)})
		} else {
			k.Patches = append(k.Patches, types.Patch{Path: string(p)})
		}
	}
}

// readKustomization reads a kustomization file with kustomize's types; a
// file that cannot be read makes the reach unresolved.
func (w *walker) readKustomization(kf string) (types.Kustomization, bool) {
	var k types.Kustomization
	f, err := w.repo.File(kf)
	if err != nil || len(f.Findings) > 0 || len(f.Docs) == 0 {
		w.unresolved(kf + " cannot be read")
		return k, false
	}
	data, err := json.Marshal(f.Docs[0].Object())
	if err == nil {
		err = json.Unmarshal(data, &k)
	}
	if err != nil {
		w.unresolved(kf + " is not a kustomization: " + err.Error())
		return k, false
	}
	moveDeprecated(&k)
	return k, true
}

// generatorFiles returns the files a ConfigMap or Secret generator reads.
func generatorFiles(s types.KvPairSources) []string {
	var out []string
	for _, f := range s.FileSources {
		// files: [KEY=]PATH
		if _, p, ok := strings.Cut(f, "="); ok {
			f = p
		}
		out = append(out, f)
	}
	out = append(out, s.EnvSources...)
	if s.EnvSource != "" {
		out = append(out, s.EnvSource)
	}
	return out
}

// resource visits an entry of resources or components: a kustomize folder
// or a file of objects. Remote resources are not in the repository.
func (w *walker) resource(dir, p string) {
	target, ok := join(dir, p)
	if !ok {
		return
	}
	switch isDir, exists := w.kind(target); {
	case isDir:
		w.kustomize(target)
	case exists:
		w.scan(target)
	default:
		w.r.Files[target] = true
	}
}

// file records a file or folder that a kustomization reads without
// building it; YAML files are scanned, as a patch may change a Flux
// Kustomization's path.
func (w *walker) file(dir, p string) {
	target, ok := join(dir, p)
	if !ok {
		return
	}
	if isDir, _ := w.kind(target); isDir {
		w.r.Dirs[target] = true
		return
	}
	w.r.Files[target] = true
	if source.IsYAMLName(target) {
		w.scan(target)
	}
}
