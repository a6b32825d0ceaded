// Package kbuild runs kustomize builds as the kustomize-controller does
// (fluxcd/pkg/kustomize Build): no load restrictions, only the built-in
// plugins, a panic turned into an error, and every build starting from
// kustomize's built-in OpenAPI schema. It differs in one way, for speed:
// Flux parses the built-in schema again before every build, which costs
// more than most builds, while kbuild parses it at most once, when a build
// first needs it, and resets it only after a build whose kustomization
// files could have changed it (an "openapi" or "crds" field).
package kbuild

import (
	"bytes"
	"fmt"
	"regexp"
	"sync"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	kustypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/openapi"
)

// state guards kustomize's OpenAPI schema, which kyaml keeps in package
// variables: one build at a time in the process, as in Flux, and no build
// while built resources are read (a resource's scope reads the schema).
// It is package state because what it guards is.
var state struct {
	sync.RWMutex
	// dirty is set when the last build may have changed the schema.
	dirty bool
}

// schemaField matches a top-level kustomization field that changes
// kustomize's OpenAPI schema.
var schemaField = regexp.MustCompile(`(?m)^(openapi|crds)\s*:`)

// Run builds the kustomization at dir in fs. After the build it calls
// kustomizations for the contents of the kustomization files the build
// read, to tell whether the next build must reset the schema.
//
// Flux resets kustomize's schema and parses the built-in one before every
// build, so that a kustomization's own schema (an "openapi" field) adds to
// the built-in kinds. Run leaves the built-in schema to be parsed when a
// build first asks for it: a build without a strategic-merge patch never
// does, and one that asks gets the same schema. A build that sets its own
// schema is run again with the built-in one parsed first, as in Flux.
func Run(fs filesys.FileSystem, dir string, kustomizations func() [][]byte) (res resmap.ResMap, err error) {
	state.Lock()
	defer state.Unlock()
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("recovered from kustomize build panic: %v", r)
			state.dirty = true
		}
	}()
	if state.dirty {
		openapi.ResetOpenAPI()
		state.dirty = false
	}
	res, err = runKustomize(fs, dir)
	if changesSchema(kustomizations()) {
		openapi.ResetOpenAPI()
		_ = openapi.Schema()
		res, err = runKustomize(fs, dir)
		state.dirty = true
	}
	if err != nil {
		state.dirty = true
	}
	return res, err
}

// runKustomize runs one kustomize build as Flux does: no plugins and files from
// anywhere in fs.
func runKustomize(fs filesys.FileSystem, dir string) (resmap.ResMap, error) {
	k := krusty.MakeKustomizer(&krusty.Options{
		LoadRestrictions: kustypes.LoadRestrictionsNone,
		PluginConfig:     kustypes.DisabledPluginConfig(),
	})
	return k.Run(fs, dir)
}

// Reading runs read while no build runs. Code that reads the resources a
// build returned (their IDs, scope or YAML) calls it: kustomize answers
// whether a kind is namespaced from the schema a later build may reset.
// Any number of reads run at once.
func Reading(read func()) {
	state.RLock()
	defer state.RUnlock()
	read()
}

// changesSchema reports whether any kustomization file sets the schema.
func changesSchema(files [][]byte) bool {
	for _, f := range files {
		if schemaField.Match(bytes.TrimPrefix(f, []byte("\xef\xbb\xbf"))) {
			return true
		}
	}
	return false
}
