package lsp

import (
	"context"
	"path/filepath"
	"testing"
)

// TestServerInSubfolderOfGitRepository opens the folder gitops of a Git
// repository as the workspace: diagnostics are published on the file
// URIs of the files themselves, which hold the whole path from the
// repository's root, as check's outputs name them.
func TestServerInSubfolderOfGitRepository(t *testing.T) {
	top := writeRepo(t, map[string]string{
		".git/HEAD":                      "ref: refs/heads/main\n",
		"gitops/clusters/prod/apps.yaml": appsKustomization,
		"gitops/apps/namespace.yaml":     namespace,
		"gitops/apps/service.yaml":       service(`"eighty"`),
	})
	root := filepath.Join(top, "gitops")
	ed, stop := startServer(t)
	defer stop()
	if err := ed.conn.Call(context.Background(), "initialize",
		map[string]any{"processId": nil, "rootUri": fileURI(root), "capabilities": map[string]any{}}, nil); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	ed.notify("initialized", map[string]any{})
	uri := fileURI(filepath.Join(top, "gitops", "apps", "service.yaml"))
	p := ed.waitFor(uri, func(p published) bool { return len(p.Diagnostics) > 0 })
	if len(p.Diagnostics) != 1 || p.Diagnostics[0].Code != "schema-invalid" {
		t.Errorf("diagnostics of %s = %+v, want one schema-invalid", uri, p.Diagnostics)
	}
}
