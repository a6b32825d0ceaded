package main

import (
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// patchFiles returns the repository paths of the files that kustomization
// files name as patches with an explicit target (patches with a target,
// patchesJson6902). Such a file's apiVersion is not the patched object's:
// kustomize finds the object by the target, so changing the file's
// apiVersion changes nothing the cluster receives, and is no defect.
func patchFiles(dir string) map[string]bool {
	out := map[string]bool{}
	_ = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !isKustomizationName(d.Name()) {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		var k struct {
			Patches []struct {
				Path   string         `yaml:"path"`
				Target map[string]any `yaml:"target"`
			} `yaml:"patches"`
			JSON6902 []struct {
				Path string `yaml:"path"`
			} `yaml:"patchesJson6902"`
		}
		if yaml.Unmarshal(data, &k) != nil {
			return nil
		}
		base := filepath.Dir(path)
		mark := func(p string) {
			if rel, err := filepath.Rel(dir, filepath.Join(base, p)); err == nil && p != "" {
				out[filepath.ToSlash(rel)] = true
			}
		}
		for _, p := range k.Patches {
			if len(p.Target) > 0 {
				mark(p.Path)
			}
		}
		for _, p := range k.JSON6902 {
			mark(p.Path)
		}
		return nil
	})
	return out
}

func isKustomizationName(name string) bool {
	return strings.EqualFold(name, "kustomization.yaml") || strings.EqualFold(name, "kustomization.yml") || name == "Kustomization"
}
