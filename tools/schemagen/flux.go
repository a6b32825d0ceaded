package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// A fluxRelease is one Flux release whose CRDs are embedded. Either Flux2
// names the github.com/fluxcd/flux2/v2 module version of the release, whose
// go.mod pins the controllers' API modules (their CRDs are then generated
// with controller-gen), or Sources lists the controllers directly.
type fluxRelease struct {
	Version string // the Flux minor, e.g. "2.4"
	Flux2   string // the flux2 module version, e.g. "v2.4.0"
	Sources []fluxSource
}

// fluxReleases are the embedded Flux releases, oldest first: every minor
// since 2.0 for which the module proxy serves a flux2 module and the API
// modules its go.mod pins (the 2.1 and 2.8 flux2 modules it has cannot be
// verified against the checksum database, or are missing), each
// at a patch release it serves. The newest release reads the modules the
// project pins.
var fluxReleases = []fluxRelease{
	{Version: "2.0", Flux2: "v2.0.1"},
	{Version: "2.2", Flux2: "v2.2.3"},
	{Version: "2.3", Flux2: "v2.3.0"},
	{Version: "2.4", Flux2: "v2.4.0"},
	{Version: "2.5", Flux2: "v2.5.1"},
	{Version: "2.6", Flux2: "v2.6.4"},
	{Version: "2.7", Flux2: "v2.7.5"},
	{Version: "2.9", Sources: fluxSources},
}

// flux2Module is the Go module of the flux CLI, whose go.mod pins the
// controllers' API modules of its release.
const flux2Module = "github.com/fluxcd/flux2/v2"

// moduleSubstitutes replace a pinned API module version the module proxy
// does not serve with the nearest one it does that serves the same API
// versions: image-automation-controller/api v0.36.0 is Flux 2.1's, with
// the same v1beta1 ImageUpdateAutomation as Flux 2.0's v0.35.0.
var moduleSubstitutes = map[string]string{
	"github.com/fluxcd/image-automation-controller/api@v0.35.0": "v0.36.0",
}

// apiModule matches the API module of a Flux controller in a go.mod
// require line, e.g. "github.com/fluxcd/helm-controller/api v1.1.0".
var apiModule = regexp.MustCompile(`^(github\.com/fluxcd/([a-z-]+)/api(?:/v[0-9]+)?) (v[0-9][^ ]*)$`)

// releaseSources returns the controllers of r: its Sources, or the API
// modules the go.mod of its flux2 module requires.
func releaseSources(ctx context.Context, r fluxRelease) ([]fluxSource, error) {
	if r.Flux2 == "" {
		return r.Sources, nil
	}
	dir, err := downloadModule(ctx, flux2Module, r.Flux2)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return nil, fmt.Errorf("read go.mod of %s@%s: %w", flux2Module, r.Flux2, err)
	}
	srcs := parseAPIModules(data)
	if len(srcs) == 0 {
		return nil, fmt.Errorf("%s@%s requires no Flux API module", flux2Module, r.Flux2)
	}
	return srcs, nil
}

// parseAPIModules returns the Flux API modules a go.mod requires, in the
// order it lists them, with moduleSubstitutes applied.
func parseAPIModules(gomod []byte) []fluxSource {
	var out []fluxSource
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		line = strings.TrimSpace(strings.TrimPrefix(line, "require "))
		if i := strings.Index(line, "//"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		m := apiModule.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		version := m[3]
		if sub, ok := moduleSubstitutes[m[1]+"@"+version]; ok {
			version = sub
		}
		out = append(out, fluxSource{Name: m[2], Module: m[1], Version: version, Generate: true})
	}
	return out
}

// A release is one embedded Flux release in the Flux bundle.
type release struct {
	Version string      `json:"version"`
	Sources []string    `json:"sources"`
	Kinds   []kindEntry `json:"kinds"`
	// CRDs are indexes into the bundle's CRDs.
	CRDs []int `json:"crds"`
}

// A fluxMerger collects the releases into one bundle, keeping each
// distinct definition and CRD once.
type fluxMerger struct {
	b       *bundle
	defName map[string]string // original name and content hash to stored name
	crdAt   map[string]int    // content hash to index in b.CRDs
}

func newFluxMerger() *fluxMerger {
	return &fluxMerger{b: &bundle{Definitions: map[string]any{}}, defName: map[string]string{}, crdAt: map[string]int{}}
}

// add merges the bundle of one release. Releases are added newest first,
// so the newest keeps the plain definition names; a definition of an
// older release that differs gets the release appended to its name.
func (m *fluxMerger) add(version string, rb *bundle) error {
	rel := release{Version: version, Sources: rb.Sources}
	for _, k := range rb.Kinds {
		if k.Definition != "" {
			name, err := m.definition(version, k.Definition, rb.Definitions[k.Definition])
			if err != nil {
				return err
			}
			k.Definition = name
		}
		rel.Kinds = append(rel.Kinds, k)
	}
	sortKinds(rel.Kinds)
	for _, c := range rb.CRDs {
		h, err := hashJSON(c)
		if err != nil {
			return err
		}
		at, ok := m.crdAt[h]
		if !ok {
			at = len(m.b.CRDs)
			m.b.CRDs = append(m.b.CRDs, c)
			m.crdAt[h] = at
		}
		rel.CRDs = append(rel.CRDs, at)
	}
	m.b.Releases = append([]release{rel}, m.b.Releases...)
	return nil
}

// definition stores def under name, or under a name with the release
// appended when name already holds a different schema, and returns the
// name it is stored under.
func (m *fluxMerger) definition(version, name string, def any) (string, error) {
	h, err := hashJSON(def)
	if err != nil {
		return "", err
	}
	key := name + " " + h
	if stored, ok := m.defName[key]; ok {
		return stored, nil
	}
	if _, taken := m.b.Definitions[name]; taken {
		name += "@" + version
	}
	m.b.Definitions[name] = def
	m.defName[key] = name
	return name, nil
}

// hashJSON hashes the JSON encoding of v, which encoding/json makes
// canonical by sorting map keys.
func hashJSON(v any) (string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("encode schema: %w", err)
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}
