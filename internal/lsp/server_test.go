package lsp

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/diskcache"
)

func TestMain(m *testing.M) {
	// The server must never use the network; a dead proxy makes any
	// attempt fail instead of reaching out.
	os.Setenv("HTTP_PROXY", "http://127.0.0.1:9")
	os.Setenv("HTTPS_PROXY", "http://127.0.0.1:9")
	dir, err := os.MkdirTemp("", "fluxlint-lsp-cache")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// A pipeEnd is one side of an in-memory connection.
type pipeEnd struct {
	io.Reader
	io.Writer
	closers []io.Closer
}

func (p pipeEnd) Close() error {
	for _, c := range p.closers {
		_ = c.Close()
	}
	return nil
}

// pipes returns the editor's and the server's ends of a connection.
func pipes() (editor, server pipeEnd) {
	toServerR, toServerW := io.Pipe()
	toEditorR, toEditorW := io.Pipe()
	editor = pipeEnd{Reader: toEditorR, Writer: toServerW, closers: []io.Closer{toServerW, toEditorR}}
	server = pipeEnd{Reader: toServerR, Writer: toEditorW, closers: []io.Closer{toEditorW, toServerR}}
	return editor, server
}

// published is a publishDiagnostics notification as the editor reads it.
type published struct {
	URI         string `json:"uri"`
	Diagnostics []struct {
		Range struct {
			Start struct{ Line, Character int } `json:"start"`
			End   struct{ Line, Character int } `json:"end"`
		} `json:"range"`
		Severity int    `json:"severity"`
		Code     string `json:"code"`
		Source   string `json:"source"`
		Message  string `json:"message"`
		Data     any    `json:"data"`
	} `json:"diagnostics"`
}

// editor is a test client: it records what the server publishes.
type editor struct {
	t     testing.TB
	conn  *jsonrpc2.Conn
	mu    sync.Mutex
	diags map[string]published
	// raw holds each URI's last publishDiagnostics parameters as sent.
	raw map[string]json.RawMessage
	// publishes counts the publishDiagnostics notifications of each URI.
	publishes map[string]int
	event     chan struct{}
	shown     []string
}

func (e *editor) Handle(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) {
	if req.Params == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	switch req.Method {
	case "textDocument/publishDiagnostics":
		var p published
		if err := json.Unmarshal(*req.Params, &p); err != nil {
			e.t.Errorf("publishDiagnostics: %v", err)
			return
		}
		e.diags[p.URI] = p
		if e.raw == nil {
			e.raw = map[string]json.RawMessage{}
		}
		e.raw[p.URI] = append(json.RawMessage(nil), *req.Params...)
		e.publishes[p.URI]++
	case "window/showMessage":
		e.shown = append(e.shown, string(*req.Params))
	}
	select {
	case e.event <- struct{}{}:
	default:
	}
}

// rawFor decodes the last diagnostics published for uri, as sent, into v.
// The editor's lock must be held.
func (e *editor) rawFor(uri string, v any) {
	e.t.Helper()
	if err := json.Unmarshal(e.raw[uri], v); err != nil {
		e.t.Fatalf("diagnostics of %s: %v", uri, err)
	}
}

// waitFor waits until the diagnostics of uri satisfy ok, which runs with
// the editor's lock held.
func (e *editor) waitFor(uri string, ok func(published) bool) published {
	e.t.Helper()
	// No limit of its own on time, which a busy machine would break: the
	// wait ends shortly before the test binary's -timeout, to say what
	// was last published.
	deadline := beforeTestDeadline(e.t)
	for {
		e.mu.Lock()
		p, have := e.diags[uri]
		shown := e.shown
		done := have && ok(p)
		e.mu.Unlock()
		if done {
			return p
		}
		select {
		case <-e.event:
		case <-deadline:
			e.t.Fatalf("timed out waiting for diagnostics of %s; last: %+v; messages: %v", uri, p, shown)
		}
	}
}

// beforeTestDeadline fires shortly before the test binary's -timeout, or
// never without one.
func beforeTestDeadline(t testing.TB) <-chan time.Time {
	d, ok := t.(interface{ Deadline() (time.Time, bool) })
	if !ok {
		return nil
	}
	at, set := d.Deadline()
	if !set {
		return nil
	}
	return time.After(time.Until(at) * 9 / 10)
}

func (e *editor) notify(method string, params any) {
	e.t.Helper()
	if err := e.conn.Notify(context.Background(), method, params); err != nil {
		e.t.Fatalf("%s: %v", method, err)
	}
}

// startServer serves a repository on pipes and returns the editor's side.
func startServer(t testing.TB) (*editor, func()) {
	t.Helper()
	return startServerWith(t, func(root string) (check.Config, check.Deps, error) {
		return check.Config{Path: root}, check.Deps{}, nil
	})
}

// startServerWith starts a server whose options for a workspace come from
// load.
func startServerWith(t testing.TB, load func(root string) (check.Config, check.Deps, error)) (*editor, func()) {
	t.Helper()
	editorEnd, serverEnd := pipes()
	ctx, cancel := context.WithCancel(context.Background())
	var log bytes.Buffer
	served := make(chan error, 1)
	go func() {
		served <- Serve(ctx, serverEnd, Options{
			Load: load,
			Log:  &syncWriter{w: &log},
		})
	}()
	ed := &editor{t: t, diags: map[string]published{}, publishes: map[string]int{}, event: make(chan struct{}, 1)}
	ed.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(editorEnd, jsonrpc2.VSCodeObjectCodec{}), ed)
	stop := func() {
		_ = ed.conn.Call(context.Background(), "shutdown", nil, nil)
		_ = ed.conn.Notify(context.Background(), "exit", nil)
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-beforeTestDeadline(t):
			t.Errorf("the server did not stop on exit")
		}
		cancel()
		_ = ed.conn.Close()
		t.Logf("server log:\n%s", log.String())
	}
	return ed, stop
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// writeRepo writes files into a new folder.
func writeRepo(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		writeFile(t, filepath.Join(root, name), text)
	}
	root, err := filepath.EvalSymlinks(root)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func writeFile(t testing.TB, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

const appsKustomization = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`

const namespace = `apiVersion: v1
kind: Namespace
metadata:
  name: web
`

// service returns a Service whose port is the given YAML value.
func service(port string) string {
	return `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: web
spec:
  ports:
    - name: http
      port: ` + port + "\n"
}

// TestServer drives the server as an editor does: a finding is published
// at its position on open, and cleared when the file is fixed and saved.
func TestServer(t *testing.T) {
	root := writeRepo(t, map[string]string{
		"clusters/prod/apps.yaml": appsKustomization,
		"apps/namespace.yaml":     namespace,
		"apps/service.yaml":       service(`"eighty"`),
	})
	ed, stop := startServer(t)
	defer stop()
	var init map[string]any
	if err := ed.conn.Call(context.Background(), "initialize",
		map[string]any{"processId": nil, "rootUri": fileURI(root), "capabilities": map[string]any{}}, &init); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	caps, _ := init["capabilities"].(map[string]any)
	if caps["codeActionProvider"] == nil || caps["textDocumentSync"] == nil {
		t.Errorf("capabilities = %v, want textDocumentSync and codeActionProvider", caps)
	}
	ed.notify("initialized", map[string]any{})
	svc := filepath.Join(root, "apps", "service.yaml")
	uri := fileURI(svc)
	ed.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "yaml", "version": 1, "text": service(`"eighty"`)}})

	p := ed.waitFor(uri, func(p published) bool { return len(p.Diagnostics) > 0 })
	if len(p.Diagnostics) != 1 {
		t.Fatalf("diagnostics = %+v, want one", p.Diagnostics)
	}
	d := p.Diagnostics[0]
	tests := []struct {
		name      string
		got, want any
	}{
		{name: "code", got: d.Code, want: "schema-invalid"},
		{name: "source", got: d.Source, want: "fluxlint"},
		{name: "severity", got: d.Severity, want: 1},
		{name: "start line", got: d.Range.Start.Line, want: 8},
		{name: "start character", got: d.Range.Start.Character, want: 6},
		{name: "end character", got: d.Range.End.Character, want: len(`      port: "eighty"`)},
		{name: "data", got: d.Data, want: "schema-invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %v, want %v (message %q)", tt.got, tt.want, d.Message)
			}
		})
	}

	t.Run("quick fix", func(t *testing.T) {
		var actions []struct {
			Title string `json:"title"`
			Edit  struct {
				Changes map[string][]struct {
					Range struct {
						Start struct{ Line, Character int } `json:"start"`
					} `json:"range"`
					NewText string `json:"newText"`
				} `json:"changes"`
			} `json:"edit"`
		}
		raw, _ := json.Marshal(p.Diagnostics)
		var diags []any
		_ = json.Unmarshal(raw, &diags)
		err := ed.conn.Call(context.Background(), "textDocument/codeAction", map[string]any{
			"textDocument": map[string]any{"uri": uri},
			"range":        diags[0].(map[string]any)["range"],
			"context":      map[string]any{"diagnostics": diags},
		}, &actions)
		if err != nil {
			t.Fatalf("codeAction: %v", err)
		}
		if len(actions) != 1 || len(actions[0].Edit.Changes[uri]) != 1 {
			t.Fatalf("actions = %+v, want one edit of %s", actions, uri)
		}
		edit := actions[0].Edit.Changes[uri][0]
		if want := "      # fluxlint:ignore schema-invalid reason\n"; edit.NewText != want || edit.Range.Start.Line != 8 {
			t.Errorf("edit = %q at line %d, want %q at line 8", edit.NewText, edit.Range.Start.Line, want)
		}
	})

	writeFile(t, svc, service("80"))
	ed.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
	ed.waitFor(uri, func(p published) bool { return len(p.Diagnostics) == 0 })
}

// TestServerOtherFile checks that a finding in a file that is not open is
// published too, and that a save that re-renders one cluster keeps the
// findings of the other.
func TestServerOtherFile(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testServerOtherFile(t, false) })
	// As fluxlint lsp runs: renders and findings also in a cache folder.
	t.Run("cache-folder", func(t *testing.T) { testServerOtherFile(t, true) })
}

func testServerOtherFile(t *testing.T, store bool) {
	other := strings.ReplaceAll(appsKustomization, "./apps", "./other")
	root := writeRepo(t, map[string]string{
		"clusters/prod/apps.yaml":    appsKustomization,
		"clusters/staging/apps.yaml": other,
		"apps/namespace.yaml":        namespace,
		"apps/service.yaml":          service("80"),
		"other/namespace.yaml":       namespace,
		"other/service.yaml":         service(`"eighty"`),
	})
	dir := t.TempDir()
	ed, stop := startServerWith(t, func(root string) (check.Config, check.Deps, error) {
		opts, deps := check.Config{Path: root}, check.Deps{}
		if store {
			deps.Store = &diskcache.Store{Dir: dir}
		}
		return opts, deps, nil
	})
	defer stop()
	if err := ed.conn.Call(context.Background(), "initialize",
		map[string]any{"processId": nil, "rootUri": fileURI(root), "capabilities": map[string]any{}}, nil); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	ed.notify("initialized", map[string]any{})
	otherURI := fileURI(filepath.Join(root, "other", "service.yaml"))
	ed.waitFor(otherURI, func(p published) bool { return len(p.Diagnostics) == 1 })

	// Break the prod cluster's Service and save it: prod is rendered
	// again; staging's finding stays.
	svc := filepath.Join(root, "apps", "service.yaml")
	writeFile(t, svc, service(`"ninety"`))
	ed.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": fileURI(svc)}})
	ed.waitFor(fileURI(svc), func(p published) bool { return len(p.Diagnostics) == 1 })
	ed.mu.Lock()
	got := len(ed.diags[otherURI].Diagnostics)
	ed.mu.Unlock()
	if got != 1 {
		t.Errorf("diagnostics of %s after a save of another cluster's file = %d, want 1", otherURI, got)
	}
}

// crd returns a CustomResourceDefinition of Widget whose spec.size has the
// given JSON schema type.
func crd(sizeType string) string {
	return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: ` + sizeType + `}
`
}

// TestServerFollowsChangedCRD checks that the validator the server keeps
// between re-checks validates against a repository CRD as it is now: a
// Widget invalid under the first CRD is valid once the CRD changes.
func TestServerFollowsChangedCRD(t *testing.T) {
	root := writeRepo(t, map[string]string{
		"clusters/prod/apps.yaml": appsKustomization,
		"apps/namespace.yaml":     namespace,
		"apps/crd.yaml":           crd("integer"),
		"apps/widget.yaml":        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: web\nspec:\n  size: large\n",
	})
	ed, stop := startServer(t)
	defer stop()
	if err := ed.conn.Call(context.Background(), "initialize",
		map[string]any{"processId": nil, "rootUri": fileURI(root), "capabilities": map[string]any{}}, nil); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	ed.notify("initialized", map[string]any{})
	widget := fileURI(filepath.Join(root, "apps", "widget.yaml"))
	p := ed.waitFor(widget, func(p published) bool { return len(p.Diagnostics) > 0 })
	if !strings.Contains(p.Diagnostics[0].Message, "integer") {
		t.Errorf("the Widget's diagnostic is %q, want one about the integer size", p.Diagnostics[0].Message)
	}

	crdFile := filepath.Join(root, "apps", "crd.yaml")
	writeFile(t, crdFile, crd("string"))
	ed.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": fileURI(crdFile)}})
	ed.waitFor(widget, func(p published) bool { return len(p.Diagnostics) == 0 })
}
