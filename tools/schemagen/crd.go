package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
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

// fluxBundle converts the CRDs of every release in fluxReleases into one
// bundle. Schemas refer to the Kubernetes ObjectMeta definition, which
// internal/schema takes from the Kubernetes bundle it combines this one with.
func fluxBundle(ctx context.Context) (*bundle, error) {
	m := newFluxMerger()
	for i := len(fluxReleases) - 1; i >= 0; i-- {
		r := fluxReleases[i]
		srcs, err := releaseSources(ctx, r)
		if err != nil {
			return nil, fmt.Errorf("flux %s: %w", r.Version, err)
		}
		rb, err := releaseBundle(ctx, srcs)
		if err != nil {
			return nil, fmt.Errorf("flux %s: %w", r.Version, err)
		}
		if r.Flux2 != "" {
			rb.Sources = append([]string{flux2Module + "@" + r.Flux2 + " go.mod"}, rb.Sources...)
		}
		if err := m.add(r.Version, rb); err != nil {
			return nil, fmt.Errorf("flux %s: %w", r.Version, err)
		}
	}
	return m.b, nil
}

// releaseBundle converts the CRDs of the controllers of one release.
func releaseBundle(ctx context.Context, srcs []fluxSource) (*bundle, error) {
	b := &bundle{Definitions: map[string]any{}}
	for _, src := range srcs {
		modDir, err := downloadModule(ctx, src.Module, src.Version)
		if err != nil {
			return nil, err
		}
		if !src.Generate {
			if err := addCRDDir(b, filepath.Join(modDir, "config", "crd", "bases")); err != nil {
				return nil, fmt.Errorf("%s: %w", src.Name, err)
			}
			b.Sources = append(b.Sources, src.Module+"@"+src.Version+" config/crd/bases")
			continue
		}
		if err := addGeneratedCRDs(ctx, b, modDir); err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		b.Sources = append(b.Sources, src.Module+"@"+src.Version+" "+controllerGen+" "+controllerGenOptions)
	}
	return b, nil
}

// addGeneratedCRDs runs controller-gen over a copy of the API module in
// modDir (the module cache is read-only) and adds the CRDs it writes to b.
func addGeneratedCRDs(ctx context.Context, b *bundle, modDir string) (err error) {
	tmp, err := os.MkdirTemp("", "fluxlint-gen-crd-")
	if err != nil {
		return fmt.Errorf("generate CRDs: %w", err)
	}
	defer func() {
		if rmErr := os.RemoveAll(tmp); rmErr != nil && err == nil {
			err = fmt.Errorf("generate CRDs: %w", rmErr)
		}
	}()
	src := filepath.Join(tmp, "api")
	out := filepath.Join(tmp, "crds")
	if err := copyTree(modDir, src); err != nil {
		return fmt.Errorf("copy module: %w", err)
	}
	// The arguments are the fixed controllerGen and controllerGenOptions
	// constants and paths inside tmp.
	cmd := exec.CommandContext(ctx, "go", "run", controllerGen, controllerGenOptions,
		"paths=./...", "output:crd:artifacts:config="+out)
	cmd.Dir = src
	// -mod=mod lets the API module's own go.mod and go.sum resolve its
	// dependencies; GOWORK=off keeps any workspace out.
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GO111MODULE=on", "GOWORK=off")
	var output bytes.Buffer
	cmd.Stdout = &output
	cmd.Stderr = &output
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("controller-gen: %w\n%s", err, bytes.TrimSpace(output.Bytes()))
	}
	return addCRDDir(b, out)
}

// copyTree copies the regular files and directories under from to to, giving
// the copies owner write permission.
func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		target := filepath.Join(to, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type().IsRegular():
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			return os.WriteFile(target, data, 0o644)
		default:
			return nil // module zips hold only regular files
		}
	})
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
		var raw map[string]any
		if err := yaml.Unmarshal(data, &raw); err != nil {
			return fmt.Errorf("decode %s: %w", filepath.Base(file), err)
		}
		b.CRDs = append(b.CRDs, trimCRD(raw))
	}
	return nil
}

// trimCRD keeps what validation needs of a CRD: its name, and of its spec
// the group, names, scope and versions, with every schema description
// removed.
func trimCRD(raw map[string]any) map[string]any {
	out := map[string]any{"apiVersion": raw["apiVersion"], "kind": raw["kind"]}
	if meta, ok := raw["metadata"].(map[string]any); ok {
		out["metadata"] = map[string]any{"name": meta["name"]}
	}
	spec, _ := raw["spec"].(map[string]any)
	kept := map[string]any{}
	for _, k := range []string{"group", "names", "scope", "versions"} {
		if v, ok := spec[k]; ok {
			kept[k] = v
		}
	}
	out["spec"] = withoutDescriptions(kept)
	return out
}

// withoutDescriptions returns v without "description" keys at any depth.
func withoutDescriptions(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if k == "description" {
				if _, isString := e.(string); isString {
					continue
				}
			}
			out[k] = withoutDescriptions(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = withoutDescriptions(e)
		}
		return out
	}
	return v
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
