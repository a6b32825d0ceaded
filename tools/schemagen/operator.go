package main

import (
	"context"
	"fmt"
	"path/filepath"
)

// An operatorSource is the Flux Operator release whose CRDs (group
// fluxcd.controlplane.io: FluxInstance, FluxReport, ResourceSet and
// ResourceSetInputProvider) are embedded, read from config/crd/bases of its
// Go module at a pinned version, like the Flux controllers' own CRDs.
type operatorSource struct {
	Module  string
	Version string
	// Commit is the Git commit the version tag names, recorded so that the
	// input can be checked against the upstream repository.
	Commit string
	// License is the licence of the repository the CRDs come from. The
	// CRDs are API definitions read as schema input, like the Flux CRDs;
	// no operator code is embedded.
	License string
}

// fluxOperator is the newest Flux Operator release whose module builds
// with Go 1.26: v0.59.0 needs Go 1.27. Its four CRDs are the same as at
// the upstream commit 17c6aea (v0.58.1-2).
var fluxOperator = operatorSource{
	Module:  "github.com/controlplaneio-fluxcd/flux-operator",
	Version: "v0.58.1",
	Commit:  "b3b36020aca1f8d2172c76949c0bcb6bbf688dde",
	License: "AGPL-3.0",
}

// operatorBundle converts the CRDs of the Flux Operator module into one
// bundle. Its schemas refer to the Kubernetes ObjectMeta definition, as the
// Flux ones do.
func operatorBundle(ctx context.Context, src operatorSource) (*bundle, error) {
	dir, err := downloadModule(ctx, src.Module, src.Version)
	if err != nil {
		return nil, err
	}
	b := &bundle{Definitions: map[string]any{}}
	if err := addCRDDir(b, filepath.Join(dir, "config", "crd", "bases")); err != nil {
		return nil, fmt.Errorf("%s: %w", src.Module, err)
	}
	b.Sources = []string{fmt.Sprintf("%s@%s config/crd/bases (commit %s, %s)",
		src.Module, src.Version, src.Commit, src.License)}
	return b, nil
}
