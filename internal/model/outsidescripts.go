package model

import (
	"os"
	"path"
	"regexp"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/safefile"
)

// kubectlCreate matches a kubectl command that creates a Secret or a
// ConfigMap, with the name it gives it.
var kubectlCreate = regexp.MustCompile(`\bkubectl\b[^\n|;&]*?\bcreate\s+(secret\s+(?:generic|tls|docker-registry)|configmap)\s+([a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)\b`)

// maxScriptSize bounds the scripts and documents read for kubectl
// commands.
const maxScriptSize = 1 << 20

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

// indexScripts indexes the Secrets and ConfigMaps that the repository's
// scripts and documents create with kubectl (kubectl create secret
// generic cluster-vars ...), in the folders given and the root: made by
// hand at bootstrap, outside Git, they probably exist.
func (o *Outside) indexScripts(dirs []string) {
	for _, dir := range append([]string{"."}, dirs...) {
		entries, err := os.ReadDir(o.repo.Abs(dir))
		if err != nil {
			continue
		}
		for _, e := range entries {
			rel := path.Join(dir, e.Name())
			if e.Type().IsRegular() && scriptFile(rel) {
				o.indexScript(rel)
			}
		}
	}
}

// indexScript indexes the kubectl commands of one script.
func (o *Outside) indexScript(rel string) {
	data, err := safefile.ReadFileLimit(o.repo.Abs(rel), maxScriptSize)
	if err != nil || !strings.Contains(string(data), "kubectl") {
		return
	}
	for i, line := range strings.Split(string(data), "\n") {
		for _, m := range kubectlCreate.FindAllStringSubmatch(line, -1) {
			kind := "Secret"
			if m[1] == "configmap" {
				kind = "ConfigMap"
			}
			if k := KindKey(kind, "", m[2]); o.index[k] == (finding.Pos{}) {
				o.index[k] = finding.Pos{File: rel, Line: i + 1, Col: strings.Index(line, m[0]) + 1}
			}
		}
	}
}
