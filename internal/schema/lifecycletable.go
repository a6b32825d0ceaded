package schema

import (
	"cmp"
	"crypto/sha256"
	_ "embed" // lifecycles.json
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/schemas"
)

// lifecycleTable is the lifecycle of each embedded Kubernetes version,
// derived from the embedded bundles (bundleLifecycle) and written by
// `go test ./internal/schema -run TestLifecycleTable -update`; the test
// fails when it no longer matches the bundles, and a run ignores it when
// the hash of the bundles it was made from is not theirs. It spares a run
// decoding the kinds of every embedded version.
//
//go:embed lifecycles.json
var lifecycleTable []byte

// A table holds the lifecycles of the embedded versions, and the hash of
// the bundles they come from (bundlesHash).
type table struct {
	Bundles    string                     `json:"bundles"`
	Lifecycles map[string]lifecycleRecord `json:"lifecycles"`
}

// A lifecycleRecord is one version's lifecycle in the table: its kinds
// that a later version stops serving, and the kinds an earlier version
// served that it does not, each sorted.
type lifecycleRecord struct {
	Removal   []tableEntry `json:"removal"`
	RemovedIn []tableEntry `json:"removedIn"`
}

// A tableEntry is one kind of a lifecycleRecord: the version that stops
// serving it, and for a removal the apiVersion to use there, if any.
type tableEntry struct {
	Group       string `json:"group,omitempty"`
	Version     string `json:"version"`
	Kind        string `json:"kind"`
	In          string `json:"in"`
	Replacement string `json:"use,omitempty"`
}

// tableLifecycle returns the lifecycle of target from a table, or false
// when the table does not decode, was made from other bundles than those
// embedded, or lacks target.
func tableLifecycle(data []byte, target string) (*lifecycle, bool) {
	var t table
	if json.Unmarshal(data, &t) != nil {
		return nil, false
	}
	if hash, err := bundlesHash(); err != nil || t.Bundles != hash {
		return nil, false
	}
	rec, ok := t.Lifecycles[target]
	if !ok {
		return nil, false
	}
	l := &lifecycle{removal: map[gvk]removal{}, removedIn: map[gvk]string{}}
	for _, e := range rec.Removal {
		l.removal[gvk{group: e.Group, version: e.Version, kind: e.Kind}] = removal{version: e.In, replacement: e.Replacement}
	}
	for _, e := range rec.RemovedIn {
		l.removedIn[gvk{group: e.Group, version: e.Version, kind: e.Kind}] = e.In
	}
	return l, true
}

// bundlesHash returns the SHA-256 of the embedded Kubernetes bundles as
// they are stored (compressed), oldest version first.
func bundlesHash() (string, error) {
	h := sha256.New()
	for _, v := range Versions() {
		data, err := fs.ReadFile(schemas.FS, schemas.KubernetesBundlePrefix+v+schemas.KubernetesBundleSuffix)
		if err != nil {
			return "", err
		}
		fmt.Fprintf(h, "%s %d\n", v, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// record returns the table's record of a Kubernetes lifecycle (one
// without Flux removals), sorted.
func (l *lifecycle) record() lifecycleRecord {
	rec := lifecycleRecord{Removal: []tableEntry{}, RemovedIn: []tableEntry{}}
	for _, k := range slices.SortedFunc(maps.Keys(l.removal), compareGVK) {
		r := l.removal[k]
		rec.Removal = append(rec.Removal, tableEntry{Group: k.group, Version: k.version, Kind: k.kind, In: r.version, Replacement: r.replacement})
	}
	for _, k := range slices.SortedFunc(maps.Keys(l.removedIn), compareGVK) {
		rec.RemovedIn = append(rec.RemovedIn, tableEntry{Group: k.group, Version: k.version, Kind: k.kind, In: l.removedIn[k]})
	}
	return rec
}

// compareGVK orders kinds by group, version and kind.
func compareGVK(a, b gvk) int {
	return cmp.Or(strings.Compare(a.group, b.group), strings.Compare(a.version, b.version), strings.Compare(a.kind, b.kind))
}
