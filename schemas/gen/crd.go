package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// A crd is the part of a CustomResourceDefinition the generator reads.
type crd struct {
	Kind string `json:"kind"`
	Spec struct {
		Group string `json:"group"`
		Names struct {
			Kind string `json:"kind"`
		} `json:"names"`
		Versions []struct {
			Name               string `json:"name"`
			Served             bool   `json:"served"`
			Deprecated         bool   `json:"deprecated"`
			DeprecationWarning string `json:"deprecationWarning"`
			Schema             struct {
				OpenAPIV3Schema map[string]any `json:"openAPIV3Schema"`
			} `json:"schema"`
		} `json:"versions"`
	} `json:"spec"`
}

// fluxBundle converts the CRDs of every Flux controller in fluxSources.
// Schemas refer to the Kubernetes ObjectMeta definition, which
// internal/schema takes from the Kubernetes bundle it combines this one with.
func fluxBundle(ctx context.Context, crdDir string) (*bundle, error) {
	b := &bundle{Definitions: map[string]any{}}
	for _, src := range fluxSources {
		dir := filepath.Join(crdDir, src.Name+"@"+src.Version)
		origin := "github.com/fluxcd/" + src.Name + "@" + src.Version + " " + src.Commit + " config/crd/bases (copied to schemas/crds)"
		if src.Module != "" {
			modDir, err := downloadModule(ctx, src.Module, src.Version)
			if err != nil {
				return nil, err
			}
			dir = filepath.Join(modDir, "config", "crd", "bases")
			origin = src.Module + "@" + src.Version + " config/crd/bases"
		}
		if err := addCRDDir(b, dir); err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		b.Sources = append(b.Sources, origin)
	}
	return b, nil
}

// addCRDDir adds every CRD in the YAML files of dir to b.
func addCRDDir(b *bundle, dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		return fmt.Errorf("list CRDs: %w", err)
	}
	if len(files) == 0 {
		return fmt.Errorf("no CRD in %s", dir)
	}
	sort.Strings(files)
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return fmt.Errorf("read CRD: %w", err)
		}
		var c crd
		if err := yaml.Unmarshal(data, &c); err != nil {
			return fmt.Errorf("decode %s: %w", filepath.Base(file), err)
		}
		if c.Kind != "CustomResourceDefinition" || c.Spec.Group == "" || c.Spec.Names.Kind == "" {
			return fmt.Errorf("%s: not a CustomResourceDefinition", filepath.Base(file))
		}
		addCRD(b, &c)
	}
	return nil
}

// addCRD adds every version of c, served or not, to b.
func addCRD(b *bundle, c *crd) {
	for _, v := range c.Spec.Versions {
		entry := kindEntry{
			Group:              c.Spec.Group,
			Version:            v.Name,
			Kind:               c.Spec.Names.Kind,
			Served:             v.Served,
			Deprecated:         v.Deprecated,
			DeprecationWarning: v.DeprecationWarning,
		}
		if v.Served && v.Schema.OpenAPIV3Schema != nil {
			name := crdDefinitionName(c.Spec.Group, v.Name, c.Spec.Names.Kind)
			root := convertSchema(v.Schema.OpenAPIV3Schema, false)
			fixRoot(root)
			b.Definitions[name] = root
			entry.Definition = name
		}
		b.Kinds = append(b.Kinds, entry)
	}
}

// crdDefinitionName names the definition of a CRD version the way the
// Kubernetes spec names its types: reversed group, version, kind.
func crdDefinitionName(group, version, kind string) string {
	parts := strings.Split(group, ".")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, ".") + "." + version + "." + kind
}
