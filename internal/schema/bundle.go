package schema

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/fluxlint/fluxlint/schemas"
)

// A bundle is one decoded file of package schemas, as written by
// tools/schemagen.
type bundle struct {
	Sources []string `json:"sources"`
	// Definitions are the JSON schemas by name. Those of the embedded
	// bundles stay encoded (json.RawMessage) until one is compiled
	// (decodeDefinition): a run compiles only the kinds it validates.
	Definitions map[string]any `json:"definitions"`
	Kinds       []kindEntry    `json:"kinds"`
	// CRDs are the CustomResourceDefinitions the bundle was made from,
	// descriptions removed, for what the JSON schemas cannot say (CEL
	// rules); only the Flux bundle has them.
	// They stay encoded until a kind of theirs is validated.
	CRDs []json.RawMessage `json:"crds,omitempty"`
	// Releases are, in the Flux bundle, the embedded Flux releases, oldest
	// first; they share Definitions and CRDs.
	Releases []fluxRelease `json:"releases,omitempty"`
}

// A kindEntry maps one group/version/kind to its definition.
type kindEntry struct {
	Group              string `json:"group"`
	Version            string `json:"version"`
	Kind               string `json:"kind"`
	Definition         string `json:"definition"`
	Served             bool   `json:"served"`
	Deprecated         bool   `json:"deprecated"`
	DeprecationWarning string `json:"deprecationWarning"`
}

// bundles decodes each embedded file at most once per process; the decoded
// bundles are never modified.
var bundles = sync.OnceValue(func() map[string]func() (*bundle, error) {
	out := map[string]func() (*bundle, error){}
	entries, _ := fs.ReadDir(schemas.FS, ".")
	for _, e := range entries {
		name := e.Name()
		out[name] = sync.OnceValues(func() (*bundle, error) { return readBundle(schemas.FS, name) })
	}
	return out
})

// readBundle decodes the gzip-compressed JSON bundle name in fsys, all
// but its definitions and CRDs, each kept encoded. The bundle is read in
// one pass (jsontext): encoding/json scans a value twice (for its end,
// then to decode it), and a run reads 2 MB of bundles.
func readBundle(fsys fs.FS, name string) (*bundle, error) {
	data, err := bundleBytes(fsys, name)
	if err != nil {
		return nil, err
	}
	b, err := splitBundle(data)
	if err != nil {
		return nil, fmt.Errorf("decode schema bundle %s: %w", name, err)
	}
	return b, nil
}

// splitBundle decodes a bundle's JSON, keeping each definition and CRD
// encoded; the other fields are decoded as encoding/json does.
func splitBundle(data []byte) (*bundle, error) {
	// From a bytes.Buffer, the decoder reads data in place, without
	// copying it into a buffer of its own.
	dec := jsontext.NewDecoder(bytes.NewBuffer(data))
	if err := readOpen(dec, '{'); err != nil {
		return nil, err
	}
	b := &bundle{Definitions: map[string]any{}}
	rest := []byte{'{'}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		switch key := tok.String(); key {
		case "definitions":
			err = eachValue(dec, data, '{', func(name string, raw []byte) { b.Definitions[name] = json.RawMessage(raw) })
		case "crds":
			err = eachValue(dec, data, '[', func(_ string, raw []byte) { b.CRDs = append(b.CRDs, raw) })
		default:
			var raw jsontext.Value
			if raw, err = dec.ReadValue(); err == nil {
				if len(rest) > 1 {
					rest = append(rest, ',')
				}
				rest = strconv.AppendQuote(rest, key)
				rest = append(append(rest, ':'), raw...)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	defs, crds := b.Definitions, b.CRDs
	if err := json.Unmarshal(append(rest, '}'), b); err != nil {
		return nil, err
	}
	b.Definitions, b.CRDs = defs, crds
	return b, nil
}

// readOpen reads the token that opens an object or array (open is '{'
// or '[').
func readOpen(dec *jsontext.Decoder, open jsontext.Kind) error {
	tok, err := dec.ReadToken()
	if err != nil {
		return err
	}
	if tok.Kind() != open {
		return fmt.Errorf("%s where %s opens a value", tok.Kind(), open)
	}
	return nil
}

// eachValue reads the object or array (open is '{' or '[') that dec is
// at, decoding data, and calls fn with each member's name ("" in an
// array) and its encoded value: a slice of data, which the bundle keeps.
func eachValue(dec *jsontext.Decoder, data []byte, open jsontext.Kind, fn func(name string, raw []byte)) error {
	if err := readOpen(dec, open); err != nil {
		return err
	}
	end := jsontext.Kind(']')
	if open == '{' {
		end = '}'
	}
	for dec.PeekKind() != end {
		name := ""
		if open == '{' {
			tok, err := dec.ReadToken()
			if err != nil {
				return err
			}
			name = tok.String()
		}
		raw, err := dec.ReadValue()
		if err != nil {
			return err
		}
		// ReadValue gives the value as it is in the input, which ends
		// where the decoder now stands.
		at := dec.InputOffset()
		fn(name, data[at-int64(len(raw)):at:at])
	}
	_, err := dec.ReadToken()
	return err
}

// decodeDefinition returns a definition of a bundle decoded: a copy when
// it is kept encoded, def itself otherwise. Numbers are decoded as
// json.Number, as the jsonschema compiler expects.
func decodeDefinition(def any) (any, error) {
	raw, ok := def.(json.RawMessage)
	if !ok {
		return def, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decode schema definition: %w", err)
	}
	return v, nil
}

// decodeBundle decodes the gzip-compressed JSON bundle name in fsys into
// v, which may hold only some of its fields.
func decodeBundle(fsys fs.FS, name string, v any, useNumber bool) error {
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("open schema bundle: %w", err)
	}
	defer func() { _ = f.Close() }() // read-only: a close error changes nothing
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("read schema bundle %s: %w", name, err)
	}
	dec := json.NewDecoder(zr)
	if useNumber {
		dec.UseNumber()
	}
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode schema bundle %s: %w", name, err)
	}
	return nil
}

// bundleBytes returns the JSON of the gzip-compressed bundle name in fsys.
func bundleBytes(fsys fs.FS, name string) ([]byte, error) {
	packed, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("open schema bundle: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		return nil, fmt.Errorf("read schema bundle %s: %w", name, err)
	}
	// The gzip trailer gives the size of the data: one allocation instead
	// of io.ReadAll's doubling, which copies and clears 2 MB for the Flux
	// bundle's 1 MB.
	var data bytes.Buffer
	if n := len(packed); n >= 4 {
		data.Grow(int(min(binary.LittleEndian.Uint32(packed[n-4:]), maxBundleSize)) + bytes.MinRead)
	}
	if _, err := data.ReadFrom(zr); err != nil {
		return nil, fmt.Errorf("read schema bundle %s: %w", name, err)
	}
	return data.Bytes(), nil
}

// maxBundleSize bounds what the size in a bundle's gzip trailer makes
// bundleBytes set aside beforehand.
const maxBundleSize = 64 << 20

// kindLists decodes the kinds of each embedded file at most once per
// process, without its definitions: the lifecycle of a Kubernetes version
// needs only the kinds of the others.
var kindLists = sync.OnceValue(func() map[string]func() ([]kindEntry, error) {
	out := map[string]func() ([]kindEntry, error){}
	entries, _ := fs.ReadDir(schemas.FS, ".")
	for _, e := range entries {
		name := e.Name()
		out[name] = sync.OnceValues(func() ([]kindEntry, error) { return readKinds(schemas.FS, name) })
	}
	return out
})

// readKinds decodes only the kinds of the bundle name in fsys. In a
// Kubernetes bundle they are the last field, after several hundred
// kilobytes of definitions that decoding the whole bundle only to skip
// them takes most of the time of (a run reads the kinds of every
// embedded version): they are decoded from the end when they are
// there, from the start otherwise.
func readKinds(fsys fs.FS, name string) ([]kindEntry, error) {
	data, err := bundleBytes(fsys, name)
	if err != nil {
		return nil, err
	}
	if kinds, ok := trailingKinds(data); ok {
		return kinds, nil
	}
	var b struct {
		Kinds []kindEntry `json:"kinds"`
	}
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("decode schema bundle %s: %w", name, err)
	}
	return b.Kinds, nil
}

// trailingKinds decodes the kinds of a bundle whose JSON ends with them:
// `,"kinds":[...]}`. The key's opening quote follows a comma or a brace,
// so it is no escaped quote within a string; what follows the list is the
// brace that closes the document, so the key is one of the top-level
// object's. Otherwise ok is false.
func trailingKinds(data []byte) (kinds []kindEntry, ok bool) {
	const key = `"kinds":`
	at := bytes.LastIndex(data, []byte(key))
	if at < 1 || (data[at-1] != ',' && data[at-1] != '{') || !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		return nil, false
	}
	list := data[at+len(key):]
	dec := json.NewDecoder(bytes.NewReader(list))
	if err := dec.Decode(&kinds); err != nil {
		return nil, false
	}
	if rest := bytes.TrimSpace(list[dec.InputOffset():]); string(rest) != "}" {
		return nil, false
	}
	return kinds, true
}

func loadKinds(name string) ([]kindEntry, error) {
	load, ok := kindLists()[name]
	if !ok {
		return nil, fmt.Errorf("schema bundle %s is not embedded", name)
	}
	return load()
}

func loadBundle(name string) (*bundle, error) {
	load, ok := bundles()[name]
	if !ok {
		return nil, fmt.Errorf("schema bundle %s is not embedded", name)
	}
	return load()
}

// Versions returns the embedded Kubernetes versions, oldest first, e.g.
// ["1.33", "1.34", "1.35", "1.36", "1.37"].
func Versions() []string {
	var versions []string
	for name := range bundles() {
		v, ok := strings.CutPrefix(name, schemas.KubernetesBundlePrefix)
		if !ok {
			continue
		}
		if v, ok = strings.CutSuffix(v, schemas.KubernetesBundleSuffix); ok {
			versions = append(versions, v)
		}
	}
	sort.Slice(versions, func(i, j int) bool { return versionLess(versions[i], versions[j]) })
	return versions
}

// versionLess orders "1.9" before "1.10".
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, errX := strconv.Atoi(as[i])
		y, errY := strconv.Atoi(bs[i])
		if errX != nil || errY != nil {
			if as[i] != bs[i] {
				return as[i] < bs[i]
			}
			continue
		}
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}
