package lsp

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/finding"
)

// initialize starts a session for root ("" names no workspace).
func (e *editor) initialize(root string) {
	e.t.Helper()
	params := map[string]any{"processId": nil, "capabilities": map[string]any{}}
	if root != "" {
		params["rootUri"] = fileURI(root)
	}
	if err := e.conn.Call(context.Background(), "initialize", params, nil); err != nil {
		e.t.Fatalf("initialize: %v", err)
	}
	e.notify("initialized", map[string]any{})
}

func (e *editor) open(path string) string {
	e.t.Helper()
	uri := fileURI(path)
	data, err := os.ReadFile(path)
	if err != nil {
		e.t.Fatal(err)
	}
	e.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "yaml", "version": 1, "text": string(data)}})
	return uri
}

// twoClusters is a repository whose two clusters both render apps/, which
// holds one invalid Service.
func twoClusters(t *testing.T) string {
	return writeRepo(t, map[string]string{
		"clusters/prod/apps.yaml":    appsKustomization,
		"clusters/staging/apps.yaml": appsKustomization,
		"apps/namespace.yaml":        namespace,
		"apps/service.yaml":          service(`"eighty"`),
	})
}

// TestServerOneDiagnosticPerPlace checks that a finding that two clusters
// report at one place is one diagnostic naming both, linked to the rule's
// documentation, and that its quick fix echoes it with its code.
func TestServerOneDiagnosticPerPlace(t *testing.T) {
	root := twoClusters(t)
	ed, stop := startServer(t)
	defer stop()
	ed.initialize(root)
	uri := ed.open(filepath.Join(root, "apps", "service.yaml"))
	p := ed.waitFor(uri, func(p published) bool { return len(p.Diagnostics) > 0 })
	if len(p.Diagnostics) != 1 {
		t.Fatalf("diagnostics = %+v, want one for both clusters", p.Diagnostics)
	}
	d := p.Diagnostics[0]
	if !strings.HasSuffix(d.Message, "\nclusters: prod, staging") {
		t.Errorf("message = %q, want it to name both clusters", d.Message)
	}

	// The raw diagnostic, as the editor has it.
	var raw struct {
		Diagnostics []map[string]any `json:"diagnostics"`
	}
	ed.mu.Lock()
	ed.rawFor(uri, &raw)
	ed.mu.Unlock()
	desc, _ := raw.Diagnostics[0]["codeDescription"].(map[string]any)
	if desc["href"] != finding.DocsURL("schema-invalid") {
		t.Errorf("codeDescription = %v, want href %s", raw.Diagnostics[0]["codeDescription"], finding.DocsURL("schema-invalid"))
	}

	var actions []struct {
		Diagnostics []map[string]any `json:"diagnostics"`
	}
	if err := ed.conn.Call(context.Background(), "textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": uri},
		"range":        raw.Diagnostics[0]["range"],
		"context":      map[string]any{"diagnostics": raw.Diagnostics},
	}, &actions); err != nil {
		t.Fatalf("codeAction: %v", err)
	}
	if len(actions) != 1 || len(actions[0].Diagnostics) != 1 {
		t.Fatalf("actions = %+v, want one fixing one diagnostic", actions)
	}
	echoed := actions[0].Diagnostics[0]
	desc, _ = echoed["codeDescription"].(map[string]any)
	if echoed["code"] != "schema-invalid" || desc["href"] != finding.DocsURL("schema-invalid") {
		t.Errorf("the quick fix's diagnostic has code %v and codeDescription %v, want schema-invalid and its link", echoed["code"], echoed["codeDescription"])
	}
}

// TestServerRootFromFirstDocument starts a session with no workspace
// folder: the git root of the first document opened is checked.
func TestServerRootFromFirstDocument(t *testing.T) {
	root := writeRepo(t, map[string]string{
		".git/HEAD":               "ref: refs/heads/main\n",
		"clusters/prod/apps.yaml": appsKustomization,
		"apps/namespace.yaml":     namespace,
		"apps/service.yaml":       service(`"eighty"`),
	})
	ed, stop := startServer(t)
	defer stop()
	ed.initialize("")
	uri := ed.open(filepath.Join(root, "apps", "service.yaml"))
	p := ed.waitFor(uri, func(p published) bool { return len(p.Diagnostics) > 0 })
	if p.Diagnostics[0].Code != "schema-invalid" {
		t.Errorf("diagnostics = %+v", p.Diagnostics)
	}
	if got := rootOf(filepath.Join(root, "apps")); got != root {
		t.Errorf("rootOf = %s, want the folder with .git, %s", got, root)
	}
	bare := t.TempDir()
	if got := rootOf(bare); got != bare {
		t.Errorf("rootOf a folder in no repository = %s, want itself", got)
	}
	layout := writeRepo(t, map[string]string{"clusters/prod/apps.yaml": appsKustomization, "apps/service.yaml": service("80")})
	if got := rootOf(filepath.Join(layout, "apps")); got != layout {
		t.Errorf("rootOf in a repository without .git = %s, want the folder of clusters/, %s", got, layout)
	}
}

// TestServerShutdown checks that shutdown stops a check under way, that
// nothing is published after it and that nothing is logged about the
// closed connection when the editor exits.
func TestServerShutdown(t *testing.T) {
	files := map[string]string{"clusters/prod/apps.yaml": appsKustomization, "apps/namespace.yaml": namespace}
	for i := range 12 {
		files["apps/service"+string(rune('a'+i))+".yaml"] = strings.Replace(service(`"eighty"`), "name: web", "name: web"+string(rune('a'+i)), 1)
	}
	root := writeRepo(t, files)
	var log strings.Builder
	editorEnd, serverEnd := pipes()
	served := make(chan error, 1)
	go func() {
		served <- Serve(context.Background(), serverEnd, Options{
			Load: func(root string) (check.Config, check.Deps, error) {
				return check.Config{Path: root}, check.Deps{}, nil
			},
			Log: &syncWriter{w: &log},
		})
	}()
	ed := &editor{t: t, diags: map[string]published{}, publishes: map[string]int{}, event: make(chan struct{}, 1)}
	ed.conn = jsonrpc2.NewConn(context.Background(), jsonrpc2.NewBufferedStream(editorEnd, jsonrpc2.VSCodeObjectCodec{}), ed)
	ed.initialize(root)
	ed.open(filepath.Join(root, "apps", "servicea.yaml"))
	if err := ed.conn.Call(context.Background(), "shutdown", nil, nil); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	ed.mu.Lock()
	before := len(ed.publishes)
	ed.mu.Unlock()
	// A check that went on after shutdown would publish within this time.
	time.Sleep(1500 * time.Millisecond)
	ed.mu.Lock()
	after := len(ed.publishes)
	ed.mu.Unlock()
	if after != before {
		t.Errorf("%d files published after shutdown", after-before)
	}
	var jerr *jsonrpc2.Error
	if err := ed.conn.Call(context.Background(), "textDocument/codeAction", map[string]any{}, nil); !errors.As(err, &jerr) || jerr.Code != jsonrpc2.CodeInvalidRequest {
		t.Errorf("a request after shutdown: %v, want InvalidRequest", err)
	}
	_ = ed.conn.Notify(context.Background(), "exit", nil)
	_ = editorEnd.Close()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-beforeTestDeadline(t):
		t.Fatal("the server did not stop on exit")
	}
	_ = ed.conn.Close()
	if strings.Contains(log.String(), "closed") || strings.Contains(log.String(), "notify") {
		t.Errorf("the server logged errors after shutdown:\n%s", log.String())
	}
}
