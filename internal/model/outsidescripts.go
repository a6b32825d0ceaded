package model

import (
	"cmp"
	"os"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/safefile"
	"github.com/fluxlint/fluxlint/internal/source"
)

// kubectlCreate matches a kubectl command that creates a Secret or a
// ConfigMap, up to its kind; createdName reads the name that follows.
var kubectlCreate = regexp.MustCompile(`\bkubectl\b[^\n|;&]*?\bcreate\s+(secret\s+(?:generic|tls|docker-registry)|configmap)\b([^\n|;&]*)`)

// kubectlCreateNamespace matches a kubectl command that creates a
// Namespace; createdName reads the name that follows.
var kubectlCreateNamespace = regexp.MustCompile(`\bkubectl\b[^\n|;&]*?\bcreate\s+(?:namespace|ns)\b([^\n|;&]*)`)

// azFluxCreate matches the Azure CLI command that makes a Flux
// configuration of an AKS or Arc cluster (Azure's microsoft.flux
// extension), which creates the configuration's namespace
// (--namespace, "default" when not given) and its sources and
// Kustomizations there.
var azFluxCreate = regexp.MustCompile(`\baz\s+k8s-configuration\s+flux\s+create\b([^\n|;&]*)`)

// objectName matches a name kubectl create accepts.
var objectName = regexp.MustCompile(`^[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?$`)

// valueFlags are the flags of kubectl that take the next word as their
// value when not written flag=value.
var valueFlags = map[string]bool{"-n": true, "--namespace": true, "--context": true, "--kubeconfig": true, "--cluster": true, "--user": true}

// createdName returns the name that the words after kubectl create's kind
// give the object: the first that is not a flag nor a flag's value (flags
// may stand before the name: kubectl create configmap --namespace=flux-system
// NAME, or -n flux-system NAME), or "" when it is not a plain name.
func createdName(rest string) string {
	words := strings.Fields(rest)
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "-") {
			// A name may be quoted, or end a command substitution.
			w = strings.TrimRight(strings.TrimLeft(w, `"'`), `"')`)
			if objectName.MatchString(w) {
				return w
			}
			return ""
		}
		if valueFlags[w] {
			i++
		}
	}
	return ""
}

// maxScriptSize bounds the scripts and documents read for kubectl
// commands.
const maxScriptSize = 1 << 20

// flagValue returns the value of a flag among a command's words (--ns X,
// --ns=X, for any of its names), or "".
func flagValue(rest string, names ...string) string {
	words := strings.Fields(rest)
	for i, w := range words {
		for _, name := range names {
			if v, ok := strings.CutPrefix(w, name+"="); ok {
				return strings.Trim(v, `"'`)
			}
			if w == name && i+1 < len(words) {
				return strings.Trim(words[i+1], `"'`)
			}
		}
	}
	return ""
}

// Scripts finds the Secrets, ConfigMaps and Namespaces that the
// repository's scripts and documents create with kubectl (kubectl create
// secret generic cluster-vars ...), and the namespaces of the Flux
// configurations they make with the Azure CLI: made by hand at bootstrap,
// outside Git, they probably exist. What the scripts say does not depend on what a cluster renders,
// so one Scripts serves every cluster of a run; it reads the scripts when
// first asked, and is safe for concurrent use.
type Scripts struct {
	repo    *source.Repo
	once    sync.Once
	index   map[string]finding.Pos
	configs []FluxConfig
}

// A FluxConfig is a Flux configuration that a script makes with the Azure
// CLI (az k8s-configuration flux create --kind git): Azure's Flux
// extension creates a GitRepository of its name in its namespace, which
// reads the URL.
type FluxConfig struct {
	Namespace, Name, URL string
	// Paths are the paths of its Kustomizations (--kustomization
	// name=infra path=./infrastructure ...).
	Paths []string
}

// kustomizationPaths returns the paths of the Kustomizations of an az
// k8s-configuration flux create command: the path= words that follow each
// --kustomization.
func kustomizationPaths(rest string) []string {
	var paths []string
	in := false
	for _, w := range strings.Fields(rest) {
		switch {
		case w == "--kustomization" || w == "-k":
			in = true
		case strings.HasPrefix(w, "-"):
			in = false
		case in && strings.HasPrefix(w, "path="):
			paths = append(paths, strings.Trim(strings.TrimPrefix(w, "path="), `"'`))
		}
	}
	return paths
}

// FluxConfigs returns the Flux configurations the repository's scripts
// and documents make with the Azure CLI.
func (s *Scripts) FluxConfigs() []FluxConfig {
	if s == nil {
		return nil
	}
	s.once.Do(s.build)
	return s.configs
}

// NewScripts returns the finder of repo's kubectl-created objects.
func NewScripts(repo *source.Repo) *Scripts {
	return &Scripts{repo: repo}
}

// objects returns, by KindKey without namespace, where the scripts create
// each object.
func (s *Scripts) objects() map[string]finding.Pos {
	if s == nil {
		return nil
	}
	s.once.Do(s.build)
	return s.index
}

// scriptFile reports whether a file of the repository is a script or a
// document that may hold the kubectl commands a person runs to bootstrap
// a cluster: shell scripts, Makefiles, justfiles, Taskfiles, Markdown.
func scriptFile(rel string) bool {
	base := strings.ToLower(path.Base(rel))
	switch {
	case base == "makefile" || base == "justfile" || strings.HasPrefix(base, "taskfile."):
		return true
	}
	switch path.Ext(base) {
	case ".sh", ".bash", ".zsh", ".md", ".just", ".mk":
		return true
	}
	return strings.Contains(rel, ".taskfiles/") && (path.Ext(base) == ".yaml" || path.Ext(base) == ".yml")
}

// build reads the scripts of the repository's root and of every folder
// the repository's walk meets.
func (s *Scripts) build() {
	s.index = map[string]finding.Pos{}
	dirs := []string{"."}
	_ = s.repo.WalkYAML(func(rel string, dir bool) bool {
		if dir {
			dirs = append(dirs, rel)
		}
		return false
	}, func(string) {})
	for _, dir := range dirs {
		entries, err := os.ReadDir(s.repo.Abs(dir))
		if err != nil {
			continue
		}
		for _, e := range entries {
			rel := path.Join(dir, e.Name())
			if e.Type().IsRegular() && scriptFile(rel) {
				s.indexScript(rel)
			}
		}
	}
}

// indexScript indexes the kubectl and Azure CLI commands of one script.
func (s *Scripts) indexScript(rel string) {
	data, err := safefile.ReadFileLimit(s.repo.Abs(rel), maxScriptSize)
	if err != nil || !strings.Contains(string(data), "kubectl") && !strings.Contains(string(data), "k8s-configuration") {
		return
	}
	lines := strings.Split(string(data), "\n")
	for i, line := range lines {
		if strings.Contains(line, "k8s-configuration") {
			// The Azure CLI's long commands continue over lines.
			for j := i + 1; strings.HasSuffix(strings.TrimSpace(line), "\\") && j < len(lines); j++ {
				line = strings.TrimSuffix(strings.TrimSpace(line), "\\") + " " + lines[j]
			}
		}
		s.indexLine(rel, i+1, line)
	}
}

// indexLine indexes the commands of one line of a script (a command
// continued over lines joined into it), which starts at line n.
func (s *Scripts) indexLine(rel string, n int, line string) {
	note := func(kind, name, match string) {
		if name == "" || !objectName.MatchString(name) {
			return
		}
		if k := KindKey(kind, "", name); s.index[k] == (finding.Pos{}) {
			s.index[k] = finding.Pos{File: rel, Line: n, Col: strings.Index(line, match) + 1}
		}
	}
	for _, m := range kubectlCreate.FindAllStringSubmatch(line, -1) {
		kind := "Secret"
		if m[1] == "configmap" {
			kind = "ConfigMap"
		}
		note(kind, createdName(m[2]), m[0])
	}
	for _, m := range kubectlCreateNamespace.FindAllStringSubmatch(line, -1) {
		note("Namespace", createdName(m[1]), m[0])
	}
	for _, m := range azFluxCreate.FindAllStringSubmatch(line, -1) {
		ns := cmp.Or(flagValue(m[1], "--namespace", "--ns"), "default")
		note("Namespace", ns, m[0])
		name, url := flagValue(m[1], "--name", "-n"), flagValue(m[1], "--url", "-u")
		if cmp.Or(flagValue(m[1], "--kind"), "git") == "git" && objectName.MatchString(name) && url != "" {
			// The configuration's GitRepository is named after it.
			note("GitRepository", name, m[0])
			s.configs = append(s.configs, FluxConfig{Namespace: ns, Name: name, URL: url, Paths: kustomizationPaths(m[1])})
		}
	}
}
