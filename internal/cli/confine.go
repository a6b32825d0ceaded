package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// The .fluxlint.yaml of the checked repository is as untrusted as the rest
// of it (a pull request from a fork can change it), so every path it names
// must stay inside the repository: otherwise a policy could read a file of
// the CI runner (data: [/home/runner/.docker/config.json]) and print it in
// a finding. A configuration file given with --config is the user's own
// choice and may name any path, as the flags may.

// A configPath is one path that the configuration names.
type configPath struct {
	// key names the setting, as the error names it: "data", "sources".
	key string
	// at finds the YAML node of the value, for its line.
	at []string
	// value is the path as written.
	value string
	// tree marks a path that may be a folder whose files are read: its
	// symbolic links must stay inside too.
	tree bool
}

// configPathKeys are the keys of Config that name local paths, and
// configOtherKeys the others; TestConfigKeysClassified keeps every key of
// Config in one of the two lists, so that a new path setting cannot miss
// the confinement.
var (
	configPathKeys  = []string{"cacheDir", "clusters", "crds", "data", "policies", "schemaLocations", "sources"}
	configOtherKeys = []string{"catalogue", "catalogueVersions", "chartMirrors", "chartTTL", "combine", "externalObjects", "failOn", "fluxVersion", "kubernetesVersion", "limits", "offline", "rules"}
)

// paths lists the local paths of the configuration. URLs are not paths:
// schema location URL templates and chart mirrors are used as before.
func (cfg Config) paths() []configPath {
	var out []configPath
	list := func(key string, values []string, tree bool) {
		for i, v := range values {
			out = append(out, configPath{key: key, at: []string{key, fmt.Sprint(i)}, value: v, tree: tree})
		}
	}
	list("policies", cfg.Policies, true)
	list("data", cfg.Data, true)
	list("crds", cfg.CRDs, true)
	for i, loc := range cfg.SchemaLocations {
		if isURLLocation(loc) {
			continue
		}
		out = append(out, configPath{key: "schemaLocations", at: []string{"schemaLocations", fmt.Sprint(i)}, value: loc, tree: true})
	}
	for _, url := range sortedMapKeys(cfg.Sources) {
		out = append(out, configPath{key: "sources", at: []string{"sources", url}, value: cfg.Sources[url], tree: true})
	}
	if cfg.CacheDir != "" {
		out = append(out, configPath{key: "cacheDir", at: []string{"cacheDir"}, value: cfg.CacheDir})
	}
	for i, c := range cfg.Clusters {
		out = append(out, configPath{key: "clusters", at: []string{"clusters", fmt.Sprint(i), "path"}, value: c.Path})
	}
	return out
}

// isURLLocation reports whether a schema location is a URL (template).
func isURLLocation(loc string) bool {
	return strings.HasPrefix(loc, "http://") || strings.HasPrefix(loc, "https://")
}

func sortedMapKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// confineConfig returns an error for the first path of the configuration
// in file (whose content is data) that leads outside root, the repository
// folder: a path with a ".." element, an absolute path elsewhere, or a
// path whose symbolic links, resolved, leave root; for a folder, a
// symbolic link below it that does.
func confineConfig(cfg Config, file string, data []byte, root string) error {
	root, err := filepath.Abs(root)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	var doc yaml.Node
	_ = yaml.Unmarshal(data, &doc) // it decoded once already; lines are a help
	for _, p := range cfg.paths() {
		if reason := confinePath(realRoot, root, p); reason != "" {
			where := filepath.Base(file)
			if line := lineOf(&doc, p.at); line > 0 {
				where = fmt.Sprintf("%s:%d", where, line)
			}
			return fmt.Errorf("%s: %s: %q %s", where, p.key, p.value, reason)
		}
	}
	return nil
}

// confinePath returns why a path of the configuration is refused, or "".
// Relative paths are relative to root.
func confinePath(realRoot, root string, p configPath) string {
	value := p.value
	if p.key == "schemaLocations" {
		// A template: what comes before its first {{ is fixed; the
		// rest comes from the objects, whose kinds the schema package
		// keeps from naming other folders.
		value, _, _ = strings.Cut(value, "{{")
		if value == "" {
			value = "."
		}
	}
	for _, elem := range strings.FieldsFunc(filepath.ToSlash(value), func(r rune) bool { return r == '/' }) {
		if elem == ".." {
			return "is outside the repository (a .. path)"
		}
	}
	abs := value
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(root, abs)
	}
	resolved, err := resolveExisting(abs)
	if err != nil {
		return "cannot be resolved: " + err.Error()
	}
	if !within(realRoot, resolved) {
		return "is outside the repository"
	}
	if !p.tree {
		return ""
	}
	if link := escapingLink(realRoot, resolved); link != "" {
		rel, _ := filepath.Rel(realRoot, link)
		return fmt.Sprintf("holds %s, a symbolic link out of the repository", filepath.ToSlash(rel))
	}
	return ""
}

// resolveExisting resolves the symbolic links of the longest part of abs
// that exists, and keeps the rest as written: a cache folder that does not
// exist yet is confined by the folder it would be made in.
func resolveExisting(abs string) (string, error) {
	abs = filepath.Clean(abs)
	var rest []string
	for {
		resolved, err := filepath.EvalSymlinks(abs)
		if err == nil {
			return filepath.Join(append([]string{resolved}, rest...)...), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", errors.Unwrap(err)
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return "", err
		}
		rest = append([]string{filepath.Base(abs)}, rest...)
		abs = parent
	}
}

// within reports whether path is root or below it; both are resolved.
func within(root, path string) bool {
	return path == root || strings.HasPrefix(path, root+string(filepath.Separator))
}

// escapingLink returns the first symbolic link below dir (itself resolved,
// inside realRoot) that loops, dangles or leads outside realRoot, or "".
// A file is its own tree.
func escapingLink(realRoot, dir string) string {
	info, err := os.Stat(dir)
	if err != nil || !info.IsDir() {
		return ""
	}
	found := ""
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink == 0 {
			return nil //nolint:nilerr // unreadable entries are the reader's to report
		}
		target, err := filepath.EvalSymlinks(p)
		if err != nil || !within(realRoot, target) {
			found = p
			return filepath.SkipAll
		}
		return nil
	})
	return found
}

// lineOf returns the line of the node at a path of keys and indices below
// a YAML document, or 0.
func lineOf(doc *yaml.Node, at []string) int {
	n := doc
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, key := range at {
		for n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		next := (*yaml.Node)(nil)
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == key {
					next = n.Content[i+1]
				}
			}
		case yaml.SequenceNode:
			for i, item := range n.Content {
				if fmt.Sprint(i) == key {
					next = item
				}
			}
		}
		if next == nil {
			return 0
		}
		n = next
	}
	return n.Line
}
