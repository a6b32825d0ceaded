package render

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	fluxkustomize "github.com/fluxcd/pkg/kustomize"
	fluxfs "github.com/fluxcd/pkg/kustomize/filesys"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/api/resmap"
	kustypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/kbuild"
	"github.com/fluxlint/fluxlint/internal/source"
)

// A Build asks for one Flux Kustomization's kustomize build.
type Build struct {
	// Artifact is the source the Kustomization reads.
	Artifact *Artifact
	// Path is spec.path, relative to the artifact root.
	Path string
	// Kustomization is the Flux Kustomization object.
	Kustomization unstructured.Unstructured
	// Cache, when set, keeps builds between runs.
	Cache *BuildCache
}

// A built is the output of a kustomize build: the resources and the files
// the build read.
type built struct {
	resources resmap.ResMap
	filesRead []string
}

// buildMetadata asks kustomize to record where each resource came from and
// which transformers touched it; fluxlint strips the annotations afterwards.
var buildMetadata = []string{kustypes.OriginAnnotations, kustypes.TransformerAnnotations}

// A plan is a kustomize build ready to run: its folder, the
// kustomization.yaml Flux generated for it (with the build metadata fluxlint
// needs), the path that file stands at, and whether the user asked for the
// metadata.
type plan struct {
	dir      string
	manifest []byte
	kfile    string
	keepMeta bool
	scr      screen
	// overlays are files the build reads from memory instead of the
	// artifact (nil content: an empty file), and remotes what they leave
	// out: a build without the remote parts of its kustomizations.
	overlays map[string][]byte
	remotes  []*remoteKustomization
}

// patchFields are the kustomization fields that patch resources.
var patchFields = []string{"patches", "patchesJson6902", "patchesStrategicMerge"}

// withoutPatches returns the plan with the patches of its kustomization
// (its own and those Flux appended from spec.patches) left out, for
// checking what a build whose patch fails would give otherwise; a plan
// without patches, or whose kustomization cannot be read, is returned as
// it is.
func (p *plan) withoutPatches() *plan {
	var k map[string]any
	if yaml.Unmarshal(p.manifest, &k) != nil {
		return p
	}
	found := false
	for _, f := range patchFields {
		if _, ok := k[f]; ok {
			delete(k, f)
			found = true
		}
	}
	if !found {
		return p
	}
	data, err := yaml.Marshal(k)
	if err != nil {
		return p
	}
	q := *p
	q.manifest = data
	return &q
}

// planBuild runs Flux's kustomization generator without writing to the
// repository, after the checks that must come before it, or takes what it
// made from the build cache (plancache.go).
func planBuild(repo *source.Repo, b Build) (*plan, error) {
	dir, err := securePath(b.Artifact, b.Path)
	if err != nil {
		return nil, err
	}
	scr := newScreen(repo)
	if err := scr.generated(b.Artifact, dir); err != nil {
		return nil, err
	}
	kept := lookupPlan(repo, b, dir)
	planned, kfile, ok := kept.get()
	manifest, keep, fields := planned.Manifest, planned.Keep, planned.Fields
	if !ok {
		if manifest, kfile, keep, err = generate(b, dir, true); err != nil {
			data := readKustomization(dir)
			if data == nil {
				return nil, err
			}
			// The filter of ignored files fails on a resource it cannot
			// find on disk (github.com/org/repo//path, which it does not
			// take for a URL). kustomize-controller's generator does not
			// filter, the artifact holding no ignored file: the remote
			// resource is left for the build, which goes without it.
			r := findRemote(b.Artifact.Root, dir, data)
			if r == nil {
				return nil, err
			}
			if manifest, kfile, keep, err = generate(b, dir, false); err != nil {
				return nil, r
			}
		}
		fields = kustomizationFieldsOf(manifest)
		kept.put(manifest, kfile, keep, fields)
	}
	p := &plan{dir: dir, manifest: manifest, kfile: kfile, keepMeta: keep, scr: scr}
	if remotes := findRemotes(dir, kfile, manifest, fields); len(remotes) > 0 {
		// kustomize would clone or download them; fluxlint never does,
		// and builds the rest.
		q := p.withoutRemote(remotes)
		if q == p {
			return nil, findRemote(b.Artifact.Root, dir, manifest)
		}
		return q, nil
	}
	return p, nil
}

// build runs kustomize build on the plan; the generated kustomization.yaml
// lives in an in-memory layer over the artifact. kustomize sees the
// artifact at virtualRoot, whatever the characters of its real path; the
// plan, the files read and the errors keep real paths.
func (p *plan) build(b Build) (*built, error) {
	cache := b.Cache
	if p.overlays != nil {
		cache = nil // its key does not hold the overlays
	}
	var cached *built
	kbuild.Reading(func() {
		if res, read, ok := cache.get(p.dir, p.manifest); ok {
			cached = &built{resources: res, filesRead: read}
		}
	})
	if cached != nil {
		return cached, nil
	}
	disk, err := fluxfs.MakeFsOnDiskSecure(b.Artifact.Root)
	if err != nil {
		return nil, fmt.Errorf("open source: %w", err)
	}
	afs := newArtifactFS(b.Artifact, disk, p.scr)
	rooted := newRootedFS(afs, b.Artifact.Root)
	mem := fluxfs.MakeFsInMemory(rooted)
	if err := mem.WriteFile(rooted.virtual(p.kfile), p.manifest); err != nil {
		return nil, fmt.Errorf("stage kustomization: %w", err)
	}
	for _, file := range slices.Sorted(maps.Keys(p.overlays)) {
		if err := mem.WriteFile(rooted.virtual(file), p.overlays[file]); err != nil {
			return nil, fmt.Errorf("stage kustomization: %w", err)
		}
	}
	res, err := kbuild.Run(mem, rooted.virtual(p.dir), func() kbuild.Read {
		return p.buildRead(mem, rooted.virtualPaths(afs.filesRead()))
	})
	err = rooted.realError(err)
	read := afs.filesRead()
	if _, serr := os.Stat(p.kfile); serr == nil {
		// The user's kustomization.yaml, which Flux read and overlaid in
		// memory: the build read the overlay, but its input is this file.
		read = append(read, p.kfile)
	}
	for _, k := range p.remotes {
		if k.file != "" && k.file != p.kfile {
			read = append(read, k.file) // rewritten in memory
		}
	}
	if err != nil {
		return &built{filesRead: read}, err
	}
	kbuild.Reading(func() { cache.put(p.dir, p.manifest, res, read) })
	return &built{resources: res, filesRead: read}, nil
}

// generate runs Flux's kustomization generator on dir and returns the
// kustomization.yaml to build, with the build metadata fluxlint needs, the
// path it stands at, and whether the user asked for that metadata. With
// filter, the generator leaves out what the artifact's ignore rules
// exclude, which the repository's tree holds and the artifact would not.
func generate(b Build, dir string, filter bool) (manifest []byte, kfile string, keep bool, err error) {
	gen := fluxkustomize.NewGenerator(b.Artifact.Root, b.Kustomization)
	if filter {
		gen = fluxkustomize.NewGeneratorWithIgnore(b.Artifact.Root, b.Artifact.IgnoredUnder(dir), b.Kustomization)
	}
	manifest, kfile, _, err = gen.GenerateManifest(dir)
	if err != nil {
		return nil, "", false, fmt.Errorf("generate kustomization: %w", err)
	}
	var kus kustypes.Kustomization
	if err := yaml.Unmarshal(manifest, &kus); err != nil {
		return nil, "", false, fmt.Errorf("read generated kustomization: %w", err)
	}
	keep = len(kus.BuildMetadata) > 0
	for _, m := range buildMetadata {
		if !slices.Contains(kus.BuildMetadata, m) {
			kus.BuildMetadata = append(kus.BuildMetadata, m)
		}
	}
	manifest, err = yaml.Marshal(kus)
	if err != nil {
		return nil, "", false, fmt.Errorf("write generated kustomization: %w", err)
	}
	return manifest, kfile, keep, nil
}

// buildRead returns what a build of the plan read: the files at paths, as
// the build's file system holds them, with the kustomization Flux
// generated and the overlays written in memory. The kustomization files
// are read at once, the others only if Files is called.
func (p *plan) buildRead(fs filesys.FileSystem, paths []string) kbuild.Read {
	own := [][]byte{p.manifest}
	for _, file := range slices.Sorted(maps.Keys(p.overlays)) {
		own = append(own, p.overlays[file])
	}
	read := func(keep func(path string) bool) [][]byte {
		var out [][]byte
		for _, path := range paths {
			if !keep(path) {
				continue
			}
			if data, err := fs.ReadFile(path); err == nil {
				out = append(out, data)
			}
		}
		return out
	}
	return kbuild.Read{
		Kustomizations: append(slices.Clip(own), read(isKustomizationFile)...),
		Files:          func() [][]byte { return append(slices.Clip(own), read(func(string) bool { return true })...) },
	}
}

// securePath joins a Flux spec.path to the artifact root and refuses paths
// that leave it, as the kustomize-controller does with securejoin. When the
// artifact is a folder of a larger Git repository (fluxlint was pointed at
// a subfolder) and the path names a folder below it from the Git root, the
// path is read in the artifact: Flux would read the whole repository.
func securePath(a *Artifact, path string) (string, error) {
	root := a.Root
	dir := a.Join(path)
	resolved, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", fmt.Errorf("path %q not found in the source", path)
	}
	if resolved != root && !strings.HasPrefix(resolved, root+string(filepath.Separator)) {
		return "", fmt.Errorf("path %q leaves the source through a symbolic link", path)
	}
	return dir, nil
}
