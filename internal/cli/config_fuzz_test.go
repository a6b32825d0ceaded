package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzRepositoryConfig loads a fuzzed .fluxlint.yaml from a repository
// that holds a link to a folder outside it: loading never panics, and a
// configuration that is accepted names no path outside the repository.
func FuzzRepositoryConfig(f *testing.F) {
	for _, seed := range []string{
		"data: [/etc/passwd]",
		"policies: [policy, out/x]",
		"sources: {https://example.com/a: ../b, https://example.com/c: .}",
		"schemaLocations: ['https://x/{{ .ResourceKind }}.json', 'out/{{ .ResourceKind }}.json']",
		"cacheDir: .cache\nclusters: [{name: a, path: clusters/a}]",
		"base: &b [policy/../../x]\ncrds: *b",
		"<<: {data: [/tmp]}",
	} {
		f.Add(seed)
	}
	base := f.TempDir()
	root := filepath.Join(base, "repo")
	outside := filepath.Join(base, "outside")
	for _, dir := range []string{filepath.Join(root, "policy"), outside} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			f.Fatal(err)
		}
	}
	if err := os.Symlink(outside, filepath.Join(root, "out")); err != nil {
		f.Skip(err)
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		f.Fatal(err)
	}
	file := filepath.Join(root, ConfigFile)
	f.Fuzz(func(t *testing.T, content string) {
		if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := loadConfig(file, false)
		if err != nil {
			return
		}
		for _, p := range cfg.paths() {
			value, _, _ := strings.Cut(p.value, "{{")
			abs := value
			if !filepath.IsAbs(abs) {
				abs = filepath.Join(realRoot, abs)
			}
			if strings.Contains(filepath.ToSlash(value), "..") && strings.Contains("/"+filepath.ToSlash(value)+"/", "/../") {
				t.Fatalf("%s %q accepted: a .. path", p.key, p.value)
			}
			for dir := abs; ; dir = filepath.Dir(dir) {
				if resolved, err := filepath.EvalSymlinks(dir); err == nil {
					if resolved != realRoot && !strings.HasPrefix(resolved, realRoot+"/") {
						t.Fatalf("%s %q accepted: it is %s, outside %s", p.key, p.value, resolved, realRoot)
					}
					break
				}
				if filepath.Dir(dir) == dir {
					t.Fatalf("%s %q accepted: nothing of it exists", p.key, p.value)
				}
			}
		}
	})
}
