package main

import (
	"io/fs"
	"os"
	"path"
	"strings"

	"gopkg.in/yaml.v3"
)

// patchFiles returns the repository paths of the files that kustomization
// files name as patches with an explicit target (patches with a target,
// patchesJson6902). Such a file's apiVersion is not the patched object's:
// kustomize finds the object by the target, so changing the file's
// apiVersion changes nothing the cluster receives, and is no defect. (A
// strategic merge patch without a target is matched by its apiVersion, so
// changing it is a defect, reported at the patch.)
func patchFiles(dir string) map[string]bool {
	out := map[string]bool{}
	root := os.DirFS(dir)
	var kustomizations []string
	_ = fs.WalkDir(root, ".", func(rel string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && isKustomizationName(d.Name()) {
			kustomizations = append(kustomizations, rel)
		}
		return err
	})
	for _, rel := range kustomizations {
		for _, p := range targetedPatches(root, rel) {
			out[path.Join(path.Dir(rel), p)] = true
		}
	}
	return out
}

// targetedPatches returns the paths, relative to its folder, of the patch
// files a kustomization file names with a target.
func targetedPatches(root fs.FS, rel string) []string {
	data, err := fs.ReadFile(root, rel)
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
	var out []string
	for _, p := range k.Patches {
		if len(p.Target) > 0 && p.Path != "" {
			out = append(out, p.Path)
		}
	}
	for _, p := range k.JSON6902 {
		if p.Path != "" {
			out = append(out, p.Path)
		}
	}
	return out
}

func isKustomizationName(name string) bool {
	return strings.EqualFold(name, "kustomization.yaml") || strings.EqualFold(name, "kustomization.yml") || name == "Kustomization"
}
