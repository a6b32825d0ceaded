package render

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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
	seen := map[string]bool{}
	var walk func(dir string, data []byte, depth int) *errRemote
	walk = func(dir string, data []byte, depth int) *errRemote {
		if depth > 32 || seen[dir] {
			return nil
		}
		seen[dir] = true
		var k kustypes.Kustomization
		if err := yaml.Unmarshal(data, &k); err != nil {
			return nil //nolint:nilerr // a broken kustomization is the build's to report
		}
		file, _ := filepath.Rel(root, filepath.Join(dir, konfig.DefaultKustomizationFileName()))
		entries := append(append(append([]string{}, k.Resources...), k.Components...), k.Bases...) //nolint:staticcheck // Bases is deprecated, and still read by kustomize
		if e := remoteGeneratorSource(k); e != "" {
			return &errRemote{file: filepath.ToSlash(file), entry: e}
		}
		for _, e := range entries {
			if looksRemote(e) && !exists(filepath.Join(dir, e)) {
				return &errRemote{file: filepath.ToSlash(file), entry: e}
			}
			sub := filepath.Join(dir, e)
			if info, err := os.Stat(sub); err == nil && info.IsDir() {
				if data := readKustomization(sub); data != nil {
					if r := walk(sub, data, depth+1); r != nil {
						return r
					}
				}
			}
		}
		return nil
	}
	return walk(dir, manifest, 0)
}

// remoteGeneratorSource returns the first file or env source of a
// ConfigMap or Secret generator that is a URL, or "": kustomize's loader
// downloads those (a files entry is "path" or "key=path").
func remoteGeneratorSource(k kustypes.Kustomization) string {
	var args []kustypes.GeneratorArgs
	for _, g := range k.ConfigMapGenerator {
		args = append(args, g.GeneratorArgs)
	}
	for _, g := range k.SecretGenerator {
		args = append(args, g.GeneratorArgs)
	}
	for _, a := range args {
		sources := append(append([]string{}, a.FileSources...), a.EnvSources...)
		if a.EnvSource != "" {
			sources = append(sources, a.EnvSource)
		}
		for _, src := range sources {
			if _, p, ok := strings.Cut(src, "="); ok && remoteURL.MatchString(strings.TrimSpace(p)) {
				return src
			}
			if remoteURL.MatchString(strings.TrimSpace(src)) {
				return src
			}
		}
	}
	return ""
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
	for _, n := range konfig.RecognizedKustomizationFileNames() {
		if data, err := safefile.ReadFile(filepath.Join(dir, n)); err == nil {
			return data
		}
	}
	return nil
}
