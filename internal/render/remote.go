package render

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"
	kustypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/safefile"
)

// RuleRemote reports a kustomization that names a remote base or resource.
const RuleRemote = "render-remote-base"

// remotePattern matches what kustomize would fetch instead of reading
// from disk: URLs, and the go-getter style forms of Git repositories.
var remotePattern = regexp.MustCompile(`^([a-z][a-z0-9+.-]*://|git::|git@|[a-z0-9.-]+\.[a-z]{2,}/[^/]+/[^/]+)|\?ref=|//`)

// An errRemote is a remote base found before the build, which fluxlint
// never fetches.
type errRemote struct {
	file, entry string
}

func (e *errRemote) Error() string {
	return fmt.Sprintf("%s names the remote resource %q, which an offline check does not fetch", e.file, e.entry)
}

// findRemote walks the kustomization tree that a build of dir would read,
// starting with the kustomization Flux generated or overlaid, and returns
// the first remote resource, component or base it names.
func findRemote(root, dir string, manifest []byte) *errRemote {
	for _, k := range findRemotes(dir, "", manifest, nil) {
		return &errRemote{file: k.rel(root), entry: k.first()}
	}
	return nil
}

// A remoteKustomization is a kustomization of a build that names what
// kustomize would fetch: remote resources, components or bases, and remote
// files of its ConfigMap and Secret generators.
type remoteKustomization struct {
	// file is the kustomization file, or "" for the one Flux generated.
	file string
	dir  string
	data []byte
	// entries are the remote resources, components and bases; sources the
	// remote files of generators.
	entries, sources []string
	// namespace is the namespace kustomize gives what the folder makes
	// (the outermost namespace field above it), or "".
	namespace string
	// patchNamespaces are the namespaces the folder's inline patches and
	// patch targets name (patchNamespaces), where the remote resources
	// they patch live.
	patchNamespaces []string
}

// first returns the first remote entry, resources before generator files.
func (k *remoteKustomization) first() string {
	if len(k.entries) > 0 {
		return k.entries[0]
	}
	return k.sources[0]
}

// rel names the kustomization file for messages, relative to root.
func (k *remoteKustomization) rel(root string) string {
	file := k.file
	if file == "" {
		file = filepath.Join(k.dir, konfig.DefaultKustomizationFileName())
	}
	rel, _ := filepath.Rel(root, file)
	return filepath.ToSlash(rel)
}

// findRemotes walks the kustomization tree that a build of dir would read,
// starting with the kustomization Flux generated or overlaid (at file,
// "" when Flux generated it), and returns the kustomizations that name
// something remote, in the order of the walk. top, when set, is what the
// kustomization given reads as (kustomizationFieldsOf of manifest, kept
// with the plan).
func findRemotes(dir, file string, manifest []byte, top *kustomizationFields) []*remoteKustomization {
	seen := map[string]bool{}
	var out []*remoteKustomization
	var walk func(dir, file string, data []byte, fields *kustomizationFields, namespace string, depth int)
	walk = func(dir, file string, data []byte, fields *kustomizationFields, namespace string, depth int) {
		if depth > 32 || seen[dir] {
			return
		}
		seen[dir] = true
		if fields == nil {
			if fields = kustomizationFieldsOf(data); fields == nil {
				return // a broken kustomization is the build's to report
			}
		}
		if namespace == "" {
			namespace = fields.Namespace
		}
		found := &remoteKustomization{file: file, dir: dir, data: data, sources: fields.Sources, namespace: namespace, patchNamespaces: fields.PatchNamespaces}
		var subs []string
		for _, e := range fields.Entries {
			if looksRemote(e) && !exists(filepath.Join(dir, e)) {
				found.entries = append(found.entries, e)
				continue
			}
			subs = append(subs, filepath.Join(dir, e))
		}
		if len(found.entries)+len(found.sources) > 0 {
			out = append(out, found)
		}
		for _, sub := range subs {
			if info, err := os.Stat(sub); err == nil && info.IsDir() {
				if subFile, subData := readKustomizationFile(sub); subData != nil {
					walk(sub, subFile, subData, nil, namespace, depth+1)
				}
			}
		}
	}
	walk(dir, file, manifest, top, "", 0)
	return out
}

// kustomizationFields are what findRemotes reads of a kustomization file,
// decoded as kustomize decodes it.
type kustomizationFields struct {
	Namespace string
	// Entries are the resources, components and bases, in that order;
	// Sources the generators' remote files (remoteGeneratorSources).
	Entries, Sources []string
	// PatchNamespaces are the namespaces its patches name
	// (patchNamespaces).
	PatchNamespaces []string
}

// kustomizationFieldsOf decodes a kustomization file, or returns nil when
// it does not decode.
func kustomizationFieldsOf(data []byte) *kustomizationFields {
	var k kustypes.Kustomization
	if err := yaml.Unmarshal(data, &k); err != nil {
		return nil
	}
	entries := append(append(append([]string{}, k.Resources...), k.Components...), k.Bases...) //nolint:staticcheck // Bases is deprecated, and still read by kustomize
	return &kustomizationFields{Namespace: k.Namespace, Entries: entries, Sources: remoteGeneratorSources(k), PatchNamespaces: patchNamespaces(k)}
}

// patchNamespaces returns the namespaces that a kustomization's patches
// name, sorted and without repeats: a target's namespace (its name for a
// Namespace), and the metadata.namespace of an inline patch's documents
// (metadata.name for a Namespace, as in a "$patch: delete" of the
// Namespace a remote install manifest brings). Patches in files are not
// read. A patch applies to what the kustomization holds, so a remote
// resource it patches lives there.
func patchNamespaces(k kustypes.Kustomization) []string {
	var out []string
	add := func(kind, namespace, name string) {
		if kind == "Namespace" {
			namespace = name
		}
		if namespace != "" && !strings.ContainsAny(namespace, "*${ ") {
			out = append(out, namespace)
		}
	}
	inline := func(text string) {
		for _, doc := range strings.Split(text, "\n---") {
			var obj struct {
				Kind     string `json:"kind"`
				Metadata struct {
					Name      string `json:"name"`
					Namespace string `json:"namespace"`
				} `json:"metadata"`
			}
			if yaml.Unmarshal([]byte(doc), &obj) == nil {
				add(obj.Kind, obj.Metadata.Namespace, obj.Metadata.Name)
			}
		}
	}
	for _, p := range append(append([]kustypes.Patch{}, k.Patches...), k.PatchesJson6902...) { //nolint:staticcheck // PatchesJson6902 is deprecated, and still read by kustomize
		if p.Target != nil {
			add(p.Target.Kind, p.Target.Namespace, p.Target.Name)
		}
		if strings.Contains(p.Patch, "\n") {
			inline(p.Patch)
		}
	}
	for _, p := range k.PatchesStrategicMerge { //nolint:staticcheck // PatchesStrategicMerge is deprecated, and still read by kustomize
		if strings.Contains(string(p), "\n") {
			inline(string(p))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// remoteGeneratorSources returns the file and env sources of ConfigMap and
// Secret generators that are URLs: kustomize's loader downloads those (a
// files entry is "path" or "key=path").
func remoteGeneratorSources(k kustypes.Kustomization) []string {
	var args []kustypes.GeneratorArgs
	for _, g := range k.ConfigMapGenerator {
		args = append(args, g.GeneratorArgs)
	}
	for _, g := range k.SecretGenerator {
		args = append(args, g.GeneratorArgs)
	}
	var out []string
	for _, a := range args {
		sources := append(append([]string{}, a.FileSources...), a.EnvSources...)
		if a.EnvSource != "" {
			sources = append(sources, a.EnvSource)
		}
		for _, src := range sources {
			if isRemoteSource(src) {
				out = append(out, src)
			}
		}
	}
	return out
}

// isRemoteSource reports whether a generator's file or env source is a
// URL: kustomize reads a files entry as "key=path" when it holds "=", else
// as a path.
func isRemoteSource(src string) bool {
	if _, p, ok := strings.Cut(src, "="); ok {
		src = p
	}
	return remoteURL.MatchString(strings.TrimSpace(src))
}

// remoteURL matches the file URLs kustomize's loader downloads.
var remoteURL = regexp.MustCompile(`^https?://`)

func looksRemote(entry string) bool {
	return remotePattern.MatchString(strings.TrimSpace(entry))
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// readKustomization returns the kustomization file of a folder, or nil.
func readKustomization(dir string) []byte {
	_, data := readKustomizationFile(dir)
	return data
}

// readKustomizationFile returns the path and content of the kustomization
// file of a folder, or nil.
func readKustomizationFile(dir string) (string, []byte) {
	for _, n := range konfig.RecognizedKustomizationFileNames() {
		if data, err := safefile.ReadFile(filepath.Join(dir, n)); err == nil {
			return filepath.Join(dir, n), data
		}
	}
	return "", nil
}
