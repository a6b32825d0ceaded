package main

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/fluxlint/fluxlint/schemas"
)

// bundle is the part of a fluxlint schema bundle this program reads.
type bundle struct {
	Definitions map[string]any `json:"definitions"`
	Kinds       []kind         `json:"kinds"`
	Releases    []struct {
		Kinds []kind `json:"kinds"`
	} `json:"releases"`
}

type kind struct {
	Group, Version, Kind, Definition string
	Served                           bool
}

func readBundle(name string) (*bundle, error) {
	f, err := schemas.FS.Open(name)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var b bundle
	if err := json.NewDecoder(zr).Decode(&b); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &b, nil
}

// writeSchemas writes out/schemas/KIND-GROUP-VERSION.json (the names
// kubeconform's "{{ .ResourceKind }}{{ .KindSuffix }}.json" template
// gives) for every kind the Kubernetes bundle of kube and the newest Flux
// release serve. Each file is the kind's definition as a root "$ref" with
// the definitions it reaches, so it stands alone.
func writeSchemas(out, kube string) error {
	k8s, err := readBundle(schemas.KubernetesBundlePrefix + kube + schemas.KubernetesBundleSuffix)
	if err != nil {
		return err
	}
	flux, err := readBundle(schemas.FluxBundle)
	if err != nil {
		return err
	}
	if len(flux.Releases) == 0 {
		return fmt.Errorf("the Flux bundle has no release")
	}
	defs := map[string]any{}
	for name, d := range k8s.Definitions {
		defs[name] = d
	}
	for name, d := range flux.Definitions {
		defs[name] = d
	}
	kinds := append(append([]kind(nil), k8s.Kinds...), flux.Releases[len(flux.Releases)-1].Kinds...)
	dir := filepath.Join(out, "schemas")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	written := map[string]bool{}
	for _, k := range kinds {
		if !k.Served || k.Definition == "" {
			continue
		}
		name := strings.ToLower(k.Kind) + kindSuffix(k.Group, k.Version) + ".json"
		if written[name] {
			continue
		}
		written[name] = true
		doc := map[string]any{
			"$ref":        "#/definitions/" + k.Definition,
			"definitions": reachable(defs, k.Definition),
		}
		data, err := json.Marshal(doc)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// kindSuffix is kubeconform's KindSuffix: "-" and the first label of the
// group, if any, then "-" and the version.
func kindSuffix(group, version string) string {
	if group == "" {
		return "-" + strings.ToLower(version)
	}
	first, _, _ := strings.Cut(group, ".")
	return "-" + strings.ToLower(first) + "-" + strings.ToLower(version)
}

// reachable returns the definitions that root refers to, directly or not,
// root included.
func reachable(defs map[string]any, root string) map[string]any {
	out := map[string]any{}
	todo := []string{root}
	for len(todo) > 0 {
		name := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if _, done := out[name]; done {
			continue
		}
		d, ok := defs[name]
		if !ok {
			continue
		}
		out[name] = d
		var refs []string
		collectRefs(d, &refs)
		sort.Strings(refs)
		todo = append(todo, refs...)
	}
	return out
}

func collectRefs(v any, refs *[]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if s, ok := e.(string); ok && k == "$ref" {
				if name, ok := strings.CutPrefix(s, "#/definitions/"); ok {
					*refs = append(*refs, name)
				}
				continue
			}
			collectRefs(e, refs)
		}
	case []any:
		for _, e := range t {
			collectRefs(e, refs)
		}
	}
}
