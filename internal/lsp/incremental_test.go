package lsp

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/diskcache"
	"github.com/fluxlint/fluxlint/internal/finding"
)

// An edit is a step of TestIncrementalEqualsFull: files written (an empty
// text deletes the file) and the files the editor says were saved.
type edit struct {
	name  string
	write map[string]string
	saved []string
}

// TestIncrementalEqualsFull changes a copy of a real repository step by
// step as an editor would, checks it again after each step as the server
// does (forgetting what the saved files affect, with the in-memory cache,
// the renders it keeps, a validator that keeps each object's findings and
// a cache folder), and requires the findings of
// a fresh, full check of the same tree.
func TestIncrementalEqualsFull(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a real repository several times")
	}
	root := copyCorpus(t, "buroa-k8s-gitops")
	read := func(rel string) string {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	const (
		app  = "kubernetes/apps/networking/echo-server/app/"
		ks   = "kubernetes/apps/networking/echo-server/ks.yaml"
		kust = app + "kustomization.yaml"
		cm   = app + "configmap.yaml"
	)
	release, ksText, kustText := read(buroaRelease), read(ks), read(kust)
	steps := []edit{
		{name: "a typo breaks the chart reference", write: map[string]string{buroaRelease: strings.Replace(release, buroaChart, buroaBroken, 1)}, saved: []string{buroaRelease}},
		{name: "the typo fixed", write: map[string]string{buroaRelease: release}, saved: []string{buroaRelease}},
		{name: "a new file, listed", write: map[string]string{
			cm:   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: echo\ndata:\n  port: 80\n",
			kust: kustText + "  - ./configmap.yaml\n",
		}, saved: []string{cm, kust}},
		{name: "the Flux Kustomization's namespace changed", write: map[string]string{ks: strings.Replace(ksText, "targetNamespace: networking", "targetNamespace: network", 1)}, saved: []string{ks}},
		{name: "its source misnamed", write: map[string]string{ks: strings.Replace(ksText, "    name: flux-system\n", "    name: flux-systm\n", 1)}, saved: []string{ks}},
		{name: "the file deleted and unlisted", write: map[string]string{cm: "", kust: kustText, ks: ksText}, saved: []string{kust, ks}},
	}
	load := func(dir string) (check.Config, check.Deps) {
		return check.Config{Path: root, Offline: true}, check.Deps{Store: &diskcache.Store{Dir: dir}}
	}
	cfg, deps := load(t.TempDir())
	deps.Cache = check.NewCache()
	// As the server: one validator for every run, keeping findings.
	v, err := check.NewValidator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	v.KeepResults()
	deps.Validator = v
	if _, err := check.Run(context.Background(), cfg, deps); err != nil {
		t.Fatal(err)
	}
	for _, st := range steps {
		for rel, text := range st.write {
			path := filepath.Join(root, filepath.FromSlash(rel))
			if text == "" {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
				continue
			}
			writeFile(t, path, text)
		}
		for _, rel := range st.saved {
			deps.Cache.Invalidate(rel)
		}
		got, err := check.Run(context.Background(), cfg, deps)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		fresh, freshDeps := load(t.TempDir())
		want, err := check.Run(context.Background(), fresh, freshDeps)
		if err != nil {
			t.Fatalf("%s, a full check: %v", st.name, err)
		}
		compareFindings(t, st.name, got.Findings, want.Findings)
	}
}

// compareFindings fails when two runs' findings differ, naming the first
// difference.
func compareFindings(t *testing.T, step string, got, want []finding.Finding) {
	t.Helper()
	g, w := describe(got), describe(want)
	for i := range max(len(g), len(w)) {
		a, b := "(none)", "(none)"
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			t.Errorf("%s: finding %d of %d (full check: %d) differs:\n incremental %s\n full        %s", step, i, len(g), len(w), a, b)
			return
		}
	}
	t.Logf("%s: %d findings, as a full check", step, len(g))
}

func describe(fs []finding.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = fmt.Sprintf("%+v", f)
	}
	return out
}

// TestSavePublishesChangedFiles shows that after a save the server sends
// the saved file's diagnostics, even unchanged, but not those of another
// file whose diagnostics are unchanged.
func TestSavePublishesChangedFiles(t *testing.T) {
	files := scenario(1, 2)
	for _, app := range []string{"app-0-0", "app-0-1"} {
		rel := "apps/" + app + "/service.yaml"
		files[rel] = strings.Replace(files[rel], "port: 80", `port: "eighty"`, 1)
	}
	root := writeRepo(t, files)
	ed, stop := startServer(t)
	defer stop()
	if err := ed.conn.Call(context.Background(), "initialize",
		map[string]any{"processId": nil, "rootUri": fileURI(root), "capabilities": map[string]any{}}, nil); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	ed.notify("initialized", map[string]any{})
	first := fileURI(filepath.Join(root, "apps", "app-0-0", "service.yaml"))
	second := fileURI(filepath.Join(root, "apps", "app-0-1", "service.yaml"))
	ed.waitFor(first, func(p published) bool { return len(p.Diagnostics) == 1 })
	ed.waitFor(second, func(p published) bool { return len(p.Diagnostics) == 1 })
	ed.mu.Lock()
	before, other := ed.publishes[second], ed.publishes[first]
	ed.mu.Unlock()
	// The files are published in path order: once the second file's
	// diagnostics arrive, the first file's would have.
	ed.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": second}})
	ed.waitFor(second, func(published) bool { return ed.publishes[second] > before })
	ed.mu.Lock()
	defer ed.mu.Unlock()
	if ed.publishes[first] != other {
		t.Errorf("%s was published again (%d times, before %d) though its diagnostics did not change", first, ed.publishes[first], other)
	}
}
