package lsp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/sourcegraph/jsonrpc2"
	"github.com/tliron/glsp"
	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/schema"
)

// Source is the source of every diagnostic the server publishes.
const Source = "fluxlint"

// Options configure a server.
type Options struct {
	// Load returns the check configuration for a repository root, the
	// configuration file read as fluxlint check would, and the
	// dependencies of its runs (a Store). The server turns Offline on and
	// sets Path, and the runs' Cache and Validator are its own.
	Load func(root string) (check.Config, check.Deps, error)
	// Log receives a line per check and every problem; nil discards them.
	// It must not be the stream the protocol speaks on.
	Log io.Writer
	// Version is reported to the editor in serverInfo.
	Version string
}

// A Server is one editor's session.
type Server struct {
	opts    Options
	handler protocol.Handler
	conn    *jsonrpc2.Conn

	// mu guards the fields below it; the worker reads them.
	mu   sync.Mutex
	root string
	// pending holds the repository files opened or saved since the last
	// check; full asks for a check of everything.
	pending map[string]bool
	full    bool
	wake    chan struct{}
	// checked says a first full check is done; reload says the
	// configuration file changed.
	checked bool
	reload  bool

	// down says the editor asked the server to shut down: nothing is
	// checked or published after that.
	down bool
	// stopWork stops the worker; workDone is closed when it has stopped.
	stopWork context.CancelFunc
	workDone chan struct{}

	// Owned by the worker.
	checkOpts *check.Config
	checkDeps check.Deps
	cache     *check.Cache
	// validator is kept for every re-check with the same configuration,
	// with the schemas it has compiled; nil when it cannot be made.
	validator *schema.Validator
	// published maps each file URI with diagnostics to the rule IDs by
	// line, for code actions.
	published map[string]map[int][]string
	// sent holds the diagnostics last sent for each file URI, as JSON.
	sent map[string]string
}

// Serve runs a server on a stream until the editor sends exit, the stream
// closes or ctx is done.
func Serve(ctx context.Context, stream io.ReadWriteCloser, opts Options) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workCtx, stopWork := context.WithCancel(ctx)
	s := &Server{opts: opts, pending: map[string]bool{}, wake: make(chan struct{}, 1),
		cache: check.NewCache(), published: map[string]map[int][]string{},
		stopWork: stopWork, workDone: make(chan struct{})}
	s.handler = protocol.Handler{
		Initialize:             s.initialize,
		Initialized:            s.initialized,
		Shutdown:               s.shutdown,
		Exit:                   func(*glsp.Context) error { return nil },
		SetTrace:               func(*glsp.Context, *protocol.SetTraceParams) error { return nil },
		TextDocumentDidOpen:    s.didOpen,
		TextDocumentDidSave:    s.didSave,
		TextDocumentDidClose:   func(*glsp.Context, *protocol.DidCloseTextDocumentParams) error { return nil },
		TextDocumentDidChange:  func(*glsp.Context, *protocol.DidChangeTextDocumentParams) error { return nil },
		TextDocumentCodeAction: s.codeAction,
	}
	// A reply that cannot be sent because the editor has closed the
	// connection is not worth a log line: the editor is gone.
	s.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(stream, jsonrpc2.VSCodeObjectCodec{}),
		jsonrpc2.HandlerWithError(s.handle).SuppressErrClosed(), jsonrpc2.SetLogger(jsonrpcLog{s}))
	go func() {
		defer close(s.workDone)
		s.work(workCtx)
	}()
	select {
	case <-s.conn.DisconnectNotify():
	case <-ctx.Done():
		_ = s.conn.Close() // the stream may be closed already
	}
	cancel()
	<-s.workDone
	return nil
}

// jsonrpcLog passes jsonrpc2's own log lines to the server's log, except
// those about the closed connection once the editor has asked the server to
// shut down or has gone.
type jsonrpcLog struct{ s *Server }

func (l jsonrpcLog) Printf(format string, args ...any) {
	msg := strings.TrimSpace(fmt.Sprintf(format, args...))
	if l.s.isDown() || strings.Contains(msg, jsonrpc2.ErrClosed.Error()) {
		return
	}
	l.s.logf("%s", msg)
}

// shutdown stops the worker, a check under way included, before the reply:
// after it nothing is published, so nothing is written to a connection
// that the editor closes after exit.
func (s *Server) shutdown(*glsp.Context) error {
	s.mu.Lock()
	s.down = true
	s.mu.Unlock()
	s.stopWork()
	<-s.workDone
	return nil
}

// isDown reports whether the editor asked the server to shut down.
func (s *Server) isDown() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.down
}

// handle passes one request or notification to glsp's handler table, as
// glsp's own server does, and closes the connection on exit.
func (s *Server) handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) (any, error) {
	gctx := &glsp.Context{
		Method: req.Method,
		Notify: func(method string, params any) { s.notify(ctx, method, params) },
		Call: func(method string, params, result any) {
			if err := conn.Call(ctx, method, params, result); err != nil {
				s.logf("call %s: %v", method, err)
			}
		},
	}
	if req.Params != nil {
		gctx.Params = *req.Params
	}
	if req.Method == protocol.MethodExit {
		_ = conn.Close() // Serve returns; the editor may have closed the stream first
		return nil, nil
	}
	if s.isDown() {
		if req.Notif {
			return nil, nil
		}
		// The protocol's answer to any request after shutdown.
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: "the server is shut down"}
	}
	r, validMethod, validParams, err := s.handler.Handle(gctx)
	switch {
	case !validMethod:
		if req.Notif {
			return nil, nil // notifications the server does not use ($/cancelRequest, …)
		}
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + req.Method}
	case !validParams:
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: fmt.Sprint(err)}
	case err != nil:
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: err.Error()}
	}
	return r, nil
}

func (s *Server) notify(ctx context.Context, method string, params any) {
	if err := s.conn.Notify(ctx, method, params); err != nil && !errors.Is(err, jsonrpc2.ErrClosed) && ctx.Err() == nil {
		s.logf("notify %s: %v", method, err)
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, "fluxlint lsp: "+format+"\n", args...)
	}
}

// initialize takes the workspace root: the first workspace folder, else
// rootUri, else rootPath. An editor that names none (a file opened outside
// any project) gets the git root of the first document it opens.
func (s *Server) initialize(_ *glsp.Context, p *protocol.InitializeParams) (any, error) {
	root := ""
	switch {
	case len(p.WorkspaceFolders) > 0:
		root = uriPath(p.WorkspaceFolders[0].URI)
	case p.RootURI != nil:
		root = uriPath(*p.RootURI)
	case p.RootPath != nil:
		root = *p.RootPath
	}
	if root == "" {
		s.logf("no workspace folder: the git root of the first document opened is the repository")
	} else {
		abs, err := canonical(root)
		if err != nil {
			return nil, fmt.Errorf("workspace root: %w", err)
		}
		s.mu.Lock()
		s.root = abs
		s.mu.Unlock()
	}
	yes := true
	caps := protocol.ServerCapabilities{
		TextDocumentSync: protocol.TextDocumentSyncOptions{
			OpenClose: &yes,
			Change:    ptr(protocol.TextDocumentSyncKindNone),
			Save:      protocol.SaveOptions{IncludeText: ptr(false)},
		},
		CodeActionProvider: protocol.CodeActionOptions{CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}},
	}
	return protocol.InitializeResult{Capabilities: caps,
		ServerInfo: &protocol.InitializeResultServerInfo{Name: "fluxlint", Version: &s.opts.Version}}, nil
}

// initialized starts the first check of the whole repository.
func (s *Server) initialized(*glsp.Context, *protocol.InitializedParams) error {
	s.enqueue("", true)
	return nil
}

func (s *Server) didOpen(_ *glsp.Context, p *protocol.DidOpenTextDocumentParams) error {
	s.enqueue(p.TextDocument.URI, false)
	return nil
}

func (s *Server) didSave(_ *glsp.Context, p *protocol.DidSaveTextDocumentParams) error {
	s.enqueue(p.TextDocument.URI, false)
	return nil
}

// enqueue asks the worker to check again after a change of the file at
// uri, or of everything; checks asked for while one runs are merged.
func (s *Server) enqueue(uri string, full bool) {
	s.mu.Lock()
	if s.root == "" && !full {
		s.adoptRoot(uri)
	}
	if full {
		s.full = true
	} else if rel, ok := s.rel(uri); ok {
		if !isYAML(rel) {
			s.mu.Unlock()
			return
		}
		s.pending[rel] = true
		if rel == configFile {
			s.reload = true
		}
	} else {
		s.mu.Unlock()
		return // outside the workspace
	}
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// adoptRoot makes the repository of the document at uri the workspace, for
// an editor that named none. s.mu must be held.
func (s *Server) adoptRoot(uri string) {
	p := uriPath(uri)
	if p == "" || !isYAML(filepath.Base(p)) {
		return
	}
	root, err := canonical(rootOf(filepath.Dir(p)))
	if err != nil {
		return
	}
	s.root = root
	s.logf("workspace: %s, the repository of %s", root, p)
}

// rootOf returns the repository of a document's folder: the nearest folder
// at or above it that holds .git, else one that holds .fluxlint.yaml, else
// one that holds a clusters folder (flux bootstrap's layout), else the
// folder itself.
func rootOf(dir string) string {
	for _, marker := range []string{".git", configFile, "clusters"} {
		for d := dir; ; d = filepath.Dir(d) {
			if _, err := os.Lstat(filepath.Join(d, marker)); err == nil {
				return d
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return dir
}

// canonical returns a folder's absolute path with symbolic links resolved
// where they can be.
func canonical(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		abs = r
	}
	return abs, nil
}

// rel returns the repository path of a file URI. s.mu must be held.
func (s *Server) rel(uri string) (string, bool) {
	if s.root == "" {
		return "", false
	}
	p := uriPath(uri)
	if p == "" {
		return "", false
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	rel, err := filepath.Rel(s.root, p)
	if err != nil || rel == ".." || filepath.IsAbs(rel) || len(rel) > 2 && rel[:3] == ".."+string(filepath.Separator) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// uriPath returns the file system path of a file: URI, or "".
func uriPath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	return filepath.FromSlash(u.Path)
}

// fileURI returns the file: URI of a path.
func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

func ptr[T any](v T) *T { return &v }
