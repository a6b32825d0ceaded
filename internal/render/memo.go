package render

import (
	"crypto/sha256"
	"encoding/json"
	"maps"
	"slices"
	"sync"
)

// A Memo keeps whole renders in memory between runs of one process (the
// language server), so that a run after a save renders again only the
// Flux Kustomizations that read the saved file: the others give the very
// objects they gave before, which later stages may recognise by pointer.
// A render is looked up by everything its request says (the cluster, the
// source folder, the Flux Kustomization's content and position, the chain,
// the values of the substituted variables) and stands until Forget names a
// file it read, or the Kustomization's own file. Only renders without
// findings are kept.
//
// A Memo belongs to one repository and one configuration; it is safe for
// concurrent use.
type Memo struct {
	mu      sync.Mutex
	renders map[[sha256.Size]byte]*memoEntry
}

// A memoEntry is one kept render and the files it depends on.
type memoEntry struct {
	res  Result
	deps []string
}

// NewMemo returns an empty memo.
func NewMemo() *Memo { return &Memo{renders: map[[sha256.Size]byte]*memoEntry{}} }

// Forget drops the renders that depend on a file (a repository path), and
// reports whether there were any.
func (m *Memo) Forget(file string) bool {
	if m == nil {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	forgot := false
	for k, e := range m.renders {
		if _, ok := slices.BinarySearch(e.deps, file); ok {
			delete(m.renders, k)
			forgot = true
		}
	}
	return forgot
}

// Reset drops every render.
func (m *Memo) Reset() {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	clear(m.renders)
}

// Len returns the number of renders kept.
func (m *Memo) Len() int {
	if m == nil {
		return 0
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.renders)
}

// memoKey returns the key of a render request with its substitution, and
// false when the render cannot be kept: no memo, or a substitution whose
// variables are not all known.
func (m *Memo) memoKey(req Request, sub *substituter) ([sha256.Size]byte, bool) {
	if m == nil || req.Artifact == nil {
		return [sha256.Size]byte{}, false
	}
	vars, _, ok := sub.cacheInputs()
	if !ok {
		return [sha256.Size]byte{}, false
	}
	content, err := json.Marshal(req.Kustomization.Object)
	if err != nil {
		return [sha256.Size]byte{}, false
	}
	parts := []any{req.Cluster, req.Artifact.Root, req.Artifact.Prefix, req.Path, string(content), req.Lenient, req.Chain, req.At}
	if req.Source != nil {
		parts = append(parts, req.Source.Origin, req.Source.Ref)
	}
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		parts = append(parts, k, vars[k])
	}
	text, err := json.Marshal(parts)
	if err != nil {
		return [sha256.Size]byte{}, false
	}
	return sha256.Sum256(text), true
}

// get returns a kept render. The slices are the caller's to append to; the
// objects are shared with every other run that gets them.
func (m *Memo) get(key [sha256.Size]byte) (Result, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.renders[key]
	if e == nil {
		return Result{}, false
	}
	return Result{Objects: slices.Clone(e.res.Objects), FilesRead: slices.Clone(e.res.FilesRead)}, true
}

// put keeps a render without findings, depending on the files it read and
// on the files of the Flux Kustomization it renders.
func (m *Memo) put(key [sha256.Size]byte, req Request, res Result) {
	if len(res.Findings) > 0 {
		return
	}
	deps := slices.Clone(res.FilesRead)
	if req.Source != nil {
		deps = append(deps, req.Source.Origin.File)
	}
	deps = append(deps, req.At.File)
	slices.Sort(deps)
	kept := Result{Objects: slices.Clone(res.Objects), FilesRead: slices.Clone(res.FilesRead)}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.renders[key] = &memoEntry{res: kept, deps: slices.Compact(deps)}
}
