package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sort"
)

// A bundle is the content of one generated file. internal/schema reads the
// same JSON shape.
type bundle struct {
	// Sources names the modules (module@version) the bundle was generated
	// from and, for generated CRDs, the controller-gen run.
	Sources []string `json:"sources"`
	// Definitions maps a definition name to its converted JSON schema.
	// Schemas refer to each other with "#/definitions/NAME".
	Definitions map[string]any `json:"definitions"`
	// Kinds lists every group/version/kind, sorted.
	Kinds []kindEntry `json:"kinds"`
	// CRDs holds the CustomResourceDefinitions of a CRD bundle as read,
	// without descriptions, for what the converted schemas leave out (CEL
	// x-kubernetes-validations and the other extensions), which
	// internal/schema evaluates with the API server's own code.
	CRDs []map[string]any `json:"crds,omitempty"`
	// Releases lists, in the Flux bundle, each embedded Flux release,
	// oldest first, with its kinds and the indexes of its CRDs in CRDs; a
	// definition or CRD that several releases share is stored once.
	Releases []release `json:"releases,omitempty"`
}

// A kindEntry maps one group/version/kind to its definition.
type kindEntry struct {
	Group              string `json:"group"`
	Version            string `json:"version"`
	Kind               string `json:"kind"`
	Definition         string `json:"definition,omitempty"`
	Served             bool   `json:"served"`
	Deprecated         bool   `json:"deprecated,omitempty"`
	DeprecationWarning string `json:"deprecationWarning,omitempty"`
}

func sortKinds(kinds []kindEntry) {
	sort.Slice(kinds, func(i, j int) bool {
		a, b := kinds[i], kinds[j]
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Version != b.Version {
			return a.Version < b.Version
		}
		return a.Kind < b.Kind
	})
}

// writeBundle writes b as gzip-compressed JSON. encoding/json sorts map keys
// and the gzip header carries no name and no modification time, so the same
// bundle always gives the same bytes.
func writeBundle(name string, b *bundle) error {
	sortKinds(b.Kinds)
	data, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}
	return writeGzip(name, data)
}

// writeGzip writes data gzip-compressed.
func writeGzip(name string, data []byte) error {
	compressed, err := gzipBytes(data)
	if err != nil {
		return fmt.Errorf("compress %s: %w", name, err)
	}
	// The bundles are committed source files, readable by everyone.
	if err := os.WriteFile(name, compressed, 0o644); err != nil {
		return fmt.Errorf("write bundle: %w", err)
	}
	return nil
}

// gzipBytes compresses data; the gzip header carries no name and no
// modification time, so the same data always gives the same bytes.
func gzipBytes(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// downloadModule fetches module@version into the module cache and returns
// the directory it was extracted to. It runs in a temporary directory so that
// no go.mod is read or changed.
func downloadModule(ctx context.Context, module, version string) (string, error) {
	tmp, err := os.MkdirTemp("", "fluxlint-gen-")
	if err != nil {
		return "", fmt.Errorf("download %s@%s: %w", module, version, err)
	}
	defer func() { _ = os.RemoveAll(tmp) }() // best effort: it is an empty temporary directory
	// module and version come from the fixed tables in main.go.
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", module+"@"+version)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GO111MODULE=on")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()
	var info struct {
		Dir   string
		Error string
	}
	if err := json.Unmarshal(out, &info); err != nil {
		return "", fmt.Errorf("download %s@%s: %w (%s)", module, version, runErr, bytes.TrimSpace(stderr.Bytes()))
	}
	if info.Error != "" {
		return "", fmt.Errorf("download %s@%s: %s", module, version, info.Error)
	}
	if runErr != nil {
		return "", fmt.Errorf("download %s@%s: %w", module, version, runErr)
	}
	return info.Dir, nil
}
