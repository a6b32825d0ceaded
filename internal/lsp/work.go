package lsp

import (
	"context"
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"time"

	protocol "github.com/tliron/glsp/protocol_3_16"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/source"
)

// configFile is the configuration file; saving it reloads the options and
// checks everything again.
const configFile = ".fluxlint.yaml"

func isYAML(rel string) bool { return source.IsYAMLName(rel) }

// A change is what the worker takes from the queue.
type change struct {
	root   string
	files  []string
	full   bool
	reload bool
}

// work runs checks one at a time until ctx is done.
func (s *Server) work(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.wake:
		}
		ch, ok := s.take()
		if !ok {
			continue
		}
		s.check(ctx, ch)
	}
}

// take empties the queue. The first check is a full one, whatever asked
// for it.
func (s *Server) take() (change, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.root == "" || (!s.full && len(s.pending) == 0) {
		return change{}, false
	}
	ch := change{root: s.root, files: slices.Sorted(maps.Keys(s.pending)), full: s.full || !s.checked, reload: s.reload}
	clear(s.pending)
	s.full, s.reload, s.checked = false, false, true
	return ch, true
}

// check runs the pipeline on the repository, after forgetting the clusters
// that the changed files affect, and publishes the diagnostics.
func (s *Server) check(ctx context.Context, ch change) {
	start := time.Now()
	if s.checkOpts == nil || ch.reload {
		opts, deps, err := s.opts.Load(ch.root)
		if err != nil {
			s.showError("fluxlint: " + err.Error())
			s.checkOpts = nil
			return
		}
		opts.Path, opts.Offline = ch.root, true
		// One validator for every re-check, with the schemas it compiles:
		// compiling them again took most of a re-check. When it cannot be
		// made, each run reports why.
		s.validator = nil
		if v, err := check.NewValidator(opts); err == nil {
			// It keeps each object's findings too: the renders that a
			// save leaves alone give the same objects again.
			v.KeepResults()
			s.validator = v
		}
		s.checkOpts, s.checkDeps = &opts, deps
		ch.full = true
	}
	opts := *s.checkOpts
	deps := s.checkDeps
	deps.Cache, deps.Validator = s.cache, s.validator
	var forgot []string
	if ch.full {
		s.cache.Reset()
	} else {
		for _, f := range ch.files {
			forgot = append(forgot, s.cache.Invalidate(f)...)
		}
	}
	res, err := check.Run(ctx, opts, deps)
	if err != nil {
		if ctx.Err() == nil {
			s.showError("fluxlint: " + err.Error())
		}
		s.cache.Reset()
		return
	}
	s.publish(ctx, ch, res)
	s.logf("checked %d clusters (%s) in %v: %d findings",
		len(res.Clusters), rendered(ch.full, forgot), time.Since(start).Round(time.Millisecond), len(res.Findings))
}

func rendered(full bool, forgot []string) string {
	switch {
	case full:
		return "all rendered"
	case len(forgot) == 0:
		return "none rendered again"
	}
	slices.Sort(forgot)
	return "rendered again: " + strings.Join(slices.Compact(forgot), ", ")
}

func (s *Server) showError(msg string) {
	s.logf("%s", msg)
	s.notify(context.Background(), protocol.ServerWindowShowMessage,
		protocol.ShowMessageParams{Type: protocol.MessageTypeError, Message: msg})
}

// publish sends the diagnostics of every file with findings, and empty
// ones for the files that had some and have none now. After a save it
// leaves out the files whose diagnostics are those last sent, but for the
// saved files: on a large repository most files keep theirs.
func (s *Server) publish(ctx context.Context, ch change, res *check.Result) {
	root := ch.root
	saved := map[string]bool{}
	for _, rel := range ch.files {
		saved[fileURI(filepath.Join(root, filepath.FromSlash(rel)))] = true
	}
	sent := map[string]string{}
	byFile := map[string][]finding.Finding{}
	for _, f := range res.Findings {
		if f.Pos.File != "" && isFile(res.Repo, f.Pos.File) {
			byFile[f.Pos.File] = append(byFile[f.Pos.File], f)
		}
	}
	next := map[string]map[int][]string{}
	for _, rel := range slices.Sorted(maps.Keys(byFile)) {
		uri := fileURI(filepath.Join(root, filepath.FromSlash(rel)))
		var diags []protocol.Diagnostic
		diags, next[uri] = fileDiagnostics(res.Repo, rel, byFile[rel])
		if ctx.Err() != nil {
			return // shutting down: nothing more is published
		}
		body, err := json.Marshal(diags)
		if err == nil {
			sent[uri] = string(body)
		}
		if !ch.full && !saved[uri] && err == nil && s.sent[uri] == string(body) {
			continue
		}
		s.notify(ctx, protocol.ServerTextDocumentPublishDiagnostics,
			protocol.PublishDiagnosticsParams{URI: uri, Diagnostics: diags})
	}
	for _, uri := range slices.Sorted(maps.Keys(s.published)) {
		if ctx.Err() != nil {
			return
		}
		if _, still := next[uri]; !still {
			s.notify(ctx, protocol.ServerTextDocumentPublishDiagnostics,
				protocol.PublishDiagnosticsParams{URI: uri, Diagnostics: []protocol.Diagnostic{}})
		}
	}
	s.sent = sent
	s.mu.Lock()
	s.published = next
	s.mu.Unlock()
}

// fileDiagnostics returns the diagnostics of a file's findings, and their
// rule IDs by line.
func fileDiagnostics(repo *source.Repo, rel string, fs []finding.Finding) ([]protocol.Diagnostic, map[int][]string) {
	lines := fileLines(repo, rel)
	merged := mergeClusters(fs)
	diags := make([]protocol.Diagnostic, 0, len(merged))
	rules := map[int][]string{}
	for _, l := range merged {
		d := diagnostic(l.f, l.clusters, lines)
		diags = append(diags, d)
		rules[int(d.Range.Start.Line)] = append(rules[int(d.Range.Start.Line)], l.f.RuleID)
	}
	return diags, rules
}

// isFile reports whether a repository path is a file (a finding about a
// cluster may name its folder).
func isFile(repo *source.Repo, rel string) bool {
	info, err := statPath(repo.Abs(rel))
	return err == nil && info.Mode().IsRegular()
}

// fileLines returns the lines of a repository file as fluxlint read it, or
// nil.
func fileLines(repo *source.Repo, rel string) []string {
	if !isYAML(rel) {
		return readLines(repo.Abs(rel))
	}
	f, err := repo.File(rel)
	if err != nil || f == nil {
		return nil
	}
	return f.Lines
}
