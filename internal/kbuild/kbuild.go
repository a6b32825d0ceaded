// Package kbuild runs kustomize builds as the kustomize-controller does
// (fluxcd/pkg/kustomize Build): no load restrictions, only the built-in
// plugins, a panic turned into an error, and every build starting from
// kustomize's built-in OpenAPI schema. It differs in one way, for speed:
// Flux parses the built-in schema again before every build, which costs
// more than most builds, while kbuild parses it at most once, when a build
// first needs it (see Run), and resets it only after a build whose
// kustomization files could have changed it (an "openapi" or "crds"
// field).
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
	// builtin is set once the built-in schema is parsed, until the next
	// reset; suppressed while kyaml is told not to parse it.
	builtin, suppressed bool
}

// schemaField matches a top-level kustomization field that changes
// kustomize's OpenAPI schema.
var schemaField = regexp.MustCompile(`(?m)^(openapi|crds)\s*:`)

// Read is what a build read, told after it ran.
type Read struct {
	// Kustomizations are the contents of the kustomization files.
	Kustomizations [][]byte
	// Files returns the contents of every file, kustomization files
	// included. Run calls it only while the built-in schema is unparsed.
	Files func() [][]byte
}

// Run builds the kustomization at dir in fs. After the build it calls
// read for the contents of the files the build read, to tell whether the
// build needed the built-in schema and whether the next build must reset
// the schema.
//
// Flux resets kustomize's schema and parses the built-in one before every
// build, so that a kustomization's own schema (an "openapi" field) adds to
// the built-in kinds. Parsing it costs more than most builds, and only the
// strategic merges of the types it describes need it (builtin_kinds.txt).
// Until a build needs it, Run builds with kyaml told not to parse it, then
// reads what the build read: when the files name one of those types, or
// set a schema of their own, it builds again with the built-in schema
// parsed first, as Flux does; the output is then Flux's. The built-in
// schema, once parsed, serves every later build until a reset.
func Run(fs filesys.FileSystem, dir string, read func() Read) (res resmap.ResMap, err error) {
	state.Lock()
	defer state.Unlock()
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("recovered from kustomize build panic: %v", r)
			state.dirty = true
		}
	}()
	if state.dirty {
		resetSchema()
	}
	if !state.builtin && !state.suppressed {
		openapi.SuppressBuiltInSchemaUse()
		state.suppressed = true
	}
	res, err = runKustomize(fs, dir)
	in := read()
	ownSchema := changesSchema(in.Kustomizations)
	if state.suppressed && (ownSchema || mayUseBuiltinSchema(in.Files())) {
		resetSchema()
		parseBuiltin()
		res, err = runKustomize(fs, dir)
	}
	if ownSchema || err != nil {
		state.dirty = true
	}
	return res, err
}

// resetSchema empties kyaml's schema; the next build starts afresh.
func resetSchema() {
	openapi.ResetOpenAPI()
	state.dirty, state.builtin, state.suppressed = false, false, false
}

// parseBuiltin parses the built-in schema now, as Flux does before every
// build.
func parseBuiltin() {
	_ = openapi.Schema()
	state.builtin = true
}

// runKustomize runs one kustomize build as Flux does: no plugins and
// files from anywhere in fs.
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
