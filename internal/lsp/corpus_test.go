package lsp

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/diskcache"
)

const corpora = "../../../shared/corpora"

// TestServerOnCorpus serves a real repository as fluxlint lsp does, with a
// cache folder: the file with the most findings gets them as diagnostics,
// and a save of it (its content unchanged) checks its clusters again, with
// the validator the server kept and the renders the cache folder kept, and
// publishes the same diagnostics.
func TestServerOnCorpus(t *testing.T) {
	root, err := filepath.Abs(filepath.Join(corpora, "gitops-fluxcd-demo"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(root); err != nil {
		t.Skip("corpus not available")
	}
	// The server names files under the workspace root with its symbolic
	// links resolved (CI reaches the corpora through one).
	if root, err = filepath.EvalSymlinks(root); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	load := func(root string) (check.Config, check.Deps, error) {
		return check.Config{Path: root, Offline: true}, check.Deps{Store: &diskcache.Store{Dir: dir}}, nil
	}
	opts, deps, _ := load(root)
	res, err := check.Run(context.Background(), opts, deps)
	if err != nil {
		t.Fatal(err)
	}
	perFile := map[string]int{}
	for _, f := range res.Findings {
		if info, err := os.Stat(filepath.Join(root, f.Pos.File)); err == nil && info.Mode().IsRegular() {
			perFile[f.Pos.File]++
		}
	}
	busiest := ""
	for _, rel := range slices.Sorted(maps.Keys(perFile)) {
		if busiest == "" || perFile[rel] > perFile[busiest] {
			busiest = rel
		}
	}
	if busiest == "" {
		t.Fatal("the corpus has no finding in a file; the test proves nothing")
	}
	want := perFile[busiest]

	ed, stop := startServerWith(t, load)
	defer stop()
	if err := ed.conn.Call(context.Background(), "initialize",
		map[string]any{"processId": nil, "rootUri": fileURI(root), "capabilities": map[string]any{}}, nil); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	ed.notify("initialized", map[string]any{})
	uri := fileURI(filepath.Join(root, filepath.FromSlash(busiest)))
	first := ed.waitFor(uri, func(p published) bool { return len(p.Diagnostics) == want })

	ed.mu.Lock()
	before := ed.publishes[uri]
	ed.mu.Unlock()
	ed.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
	again := ed.waitFor(uri, func(published) bool {
		return ed.publishes[uri] > before
	})
	if len(again.Diagnostics) != len(first.Diagnostics) {
		t.Fatalf("after a save: %d diagnostics, before %d", len(again.Diagnostics), len(first.Diagnostics))
	}
	for i := range first.Diagnostics {
		if again.Diagnostics[i].Message != first.Diagnostics[i].Message || again.Diagnostics[i].Range != first.Diagnostics[i].Range {
			t.Errorf("diagnostic %d changed after a save:\n before %+v\n after  %+v", i, first.Diagnostics[i], again.Diagnostics[i])
		}
	}
}
