package model

import (
	"os"
	"path"
	"slices"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/yaml"
)

// switchedOffBases returns the folders that only switched-off overlays
// include: a kustomization file's commented-out line ("# -
// gha-runner-scale-set-controller") switches off an overlay folder, whose
// own kustomization file includes its base (../../base/gha-runner-...),
// and so on down. What those folders define is not applied, by Flux or by
// hand: like a file commented out itself, it does not exist. dirs are the
// folders that hold a kustomization file (the repository's walk found
// them); texts reads their files. A base
// that an active overlay includes too is read by a render, and so never
// asked about.
func switchedOffBases(repo interface{ Abs(string) string }, dirs []string, texts func(dir string) []string) []string {
	var off []string
	queue := []string{}
	for _, d := range dirs {
		for _, text := range texts(d) {
			for _, entry := range commentedEntries(text) {
				queue = append(queue, path.Join(d, entry))
			}
		}
	}
	for len(queue) > 0 && len(off) < maxSwitchedOffBases {
		d := queue[0]
		queue = queue[1:]
		if slices.Contains(off, d) || strings.HasPrefix(d, "..") || !isDir(repo.Abs(d)) {
			continue
		}
		off = append(off, d)
		if !slices.Contains(dirs, d) {
			// Only the kustomization files the repository's walk found
			// are read: none behind a symbolic link.
			continue
		}
		for _, text := range texts(d) {
			for _, entry := range listedEntries(text) {
				queue = append(queue, path.Join(d, entry))
			}
		}
	}
	return off
}

// maxSwitchedOffBases bounds the folders switchedOffBases follows.
const maxSwitchedOffBases = 1000

// listedEntries returns the local entries a kustomization file includes:
// its resources, components and bases that are no URL.
func listedEntries(text string) []string {
	var k struct {
		Resources  []string `json:"resources"`
		Components []string `json:"components"`
		Bases      []string `json:"bases"`
	}
	if yaml.Unmarshal([]byte(text), &k) != nil {
		return nil
	}
	var out []string
	for _, e := range slices.Concat(k.Resources, k.Components, k.Bases) {
		if !strings.Contains(e, "://") && !strings.HasPrefix(e, "github.com/") {
			out = append(out, e)
		}
	}
	return out
}

// isKustomizationFile reports whether a repository path names a
// kustomization file.
func isKustomizationFile(rel string) bool {
	return slices.Contains(konfig.RecognizedKustomizationFileNames(), path.Base(rel))
}

func isDir(abs string) bool {
	st, err := os.Stat(abs)
	return err == nil && st.IsDir()
}
