package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/fluxlint/fluxlint/internal/affect"
	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/source"
)

// A changeSet is what changed in the checked repository since a revision.
type changeSet struct {
	// files are the changed files inside the checked folder, as
	// slash-separated paths relative to it; all are every changed file of
	// the work tree, absolute.
	files, all []string
	// remotes are the URLs of the work tree's Git remotes.
	remotes []string
}

// changedFiles lists the files that differ between rev and the work tree
// of the Git repository that holds path: changed, added, deleted, renamed
// (both names) and untracked files that are not ignored. Git runs with
// GIT_OPTIONAL_LOCKS=0, so it writes nothing to the repository, not even
// the index's stat cache.
func changedFiles(ctx context.Context, path, rev string) (*changeSet, error) {
	top, prefix, commit, err := resolveRevision(ctx, path, rev)
	var notWorkTree notWorkTreeError
	switch {
	case errors.As(err, &notWorkTree):
		return nil, fmt.Errorf("--changed-since: %s is not in a Git work tree: %w", path, err)
	case errors.Is(err, errNoRevision):
		return nil, fmt.Errorf("--changed-since: no Git revision %q", rev)
	case err != nil:
		return nil, fmt.Errorf("--changed-since: %w", err)
	}
	// git diff refreshes the stat cache of the index it reads, whatever
	// GIT_OPTIONAL_LOCKS says: give it a copy.
	index, cleanup, err := indexCopy(ctx, top)
	if err != nil {
		return nil, fmt.Errorf("--changed-since: %w", err)
	}
	defer cleanup()
	diff, err := gitRaw(ctx, top, index, "diff", "--name-only", "--no-renames", "-z", commit, "--")
	if err != nil {
		return nil, fmt.Errorf("--changed-since: git diff: %w", err)
	}
	untracked, err := gitRaw(ctx, top, index, "ls-files", "--others", "--exclude-standard", "-z")
	if err != nil {
		return nil, fmt.Errorf("--changed-since: git ls-files: %w", err)
	}
	cs := &changeSet{}
	seen := map[string]bool{}
	for _, p := range strings.Split(diff+"\x00"+untracked, "\x00") {
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		cs.all = append(cs.all, filepath.Join(top, filepath.FromSlash(p)))
		if rel, ok := strings.CutPrefix(p, prefix); ok {
			cs.files = append(cs.files, rel)
		}
	}
	// No remote is no error: git config exits 1.
	remotes, _ := git(ctx, top, "config", "--get-regexp", `^remote\..*\.url$`)
	for _, line := range strings.Split(remotes, "\n") {
		if _, url, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
			cs.remotes = append(cs.remotes, url)
		}
	}
	return cs, nil
}

// indexCopy copies the index of the work tree at top into a temporary
// folder, and returns the environment setting that points git at the copy
// (none when there is no index) and a function that removes the copy.
func indexCopy(ctx context.Context, top string) (env []string, cleanup func(), err error) {
	cleanup = func() {}
	p, err := git(ctx, top, "rev-parse", "--git-path", "index")
	if err != nil {
		return nil, cleanup, err
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(top, p)
	}
	data, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, cleanup, nil
	}
	if err != nil {
		return nil, cleanup, err
	}
	tmp, err := os.CreateTemp("", "fluxlint-index-")
	if err != nil {
		return nil, cleanup, err
	}
	// git writes index.lock beside the copy while it refreshes it.
	cleanup = func() { _ = os.Remove(tmp.Name()); _ = os.Remove(tmp.Name() + ".lock") }
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		cleanup()
		return nil, func() {}, err
	}
	return []string{"GIT_INDEX_FILE=" + tmp.Name()}, cleanup, nil
}

// restrictToChanged sets opts.Clusters to the clusters that the files
// changed since rev affect (see package affect), and prints a summary on
// stderr unless quiet. Setting the clusters skips the discovery of
// Kustomizations that no cluster produces. When no cluster is affected it
// returns exitError{ExitOK}: nothing to check.
func restrictToChanged(ctx context.Context, opts *check.Config, cfg Config, cfgFile, rev string, stderr io.Writer, quiet bool) error {
	cs, err := changedFiles(ctx, opts.Path, rev)
	if err != nil {
		return err
	}
	repo, err := source.Open(opts.Path)
	if err != nil {
		return err
	}
	entries := opts.Clusters
	if len(entries) == 0 {
		if entries, err = flux.Discover(repo); err != nil {
			return fmt.Errorf("discover clusters: %w", err)
		}
		opts.Prune = true
	}
	global := globalPaths(opts, cfg, cfgFile, repo.Root)
	affected := entries
	if !changesAny(cs.all, global) {
		affected, err = affect.Select(repo, entries, cs.files, affect.Options{SelfURLs: selfURLs(cfg, repo.Root, cs.remotes)})
		if err != nil {
			return err
		}
	}
	if !quiet {
		fmt.Fprintf(stderr, "%d of %d clusters affected by %d changed files since %s; %d skipped\n",
			len(affected), len(entries), len(cs.files), rev, len(entries)-len(affected))
	}
	if len(affected) == 0 {
		return exitError{ExitOK}
	}
	opts.Clusters = affected
	return nil
}

// globalPaths returns the absolute paths whose change affects every
// cluster: the configuration file, policies and their data, CRD files,
// local schema locations, and the folders of other repositories that the
// configuration maps.
func globalPaths(opts *check.Config, cfg Config, cfgFile, root string) []string {
	paths := []string{cfgFile}
	paths = append(paths, opts.Policies.Dirs...)
	paths = append(paths, opts.Policies.DataFiles...)
	paths = append(paths, opts.CRDs...)
	for _, loc := range opts.SchemaLocations {
		if strings.Contains(loc, "://") {
			continue
		}
		// A template: the folder before its first {{.
		loc, _, _ = strings.Cut(loc, "{{")
		paths = append(paths, loc)
	}
	for _, dir := range cfg.Sources {
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(root, dir)
		}
		if filepath.Clean(dir) != root {
			paths = append(paths, dir)
		}
	}
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		if p == "" {
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		if resolved, err := filepath.EvalSymlinks(abs); err == nil {
			abs = resolved
		}
		out = append(out, abs)
	}
	return out
}

// changesAny reports whether a changed file is one of the global paths or
// below one.
func changesAny(changed, global []string) bool {
	for _, c := range changed {
		for _, g := range global {
			if c == g || strings.HasPrefix(c, g+string(filepath.Separator)) {
				return true
			}
		}
	}
	return false
}

// selfURLs returns the URLs of this repository: its Git remotes and the
// sources that the configuration maps to it.
func selfURLs(cfg Config, root string, remotes []string) []string {
	out := append([]string{}, remotes...)
	for url, dir := range cfg.Sources {
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(root, dir)
		}
		if filepath.Clean(dir) == root {
			out = append(out, url)
		}
	}
	return out
}

// restrictToChanged applies --changed-since, when given; cfgFile is the
// configuration file that options read.
func (f *checkFlags) restrictToChanged(ctx context.Context, opts *check.Config, cfg Config, path string, stderr io.Writer) error {
	if f.changedSince == "" {
		return nil
	}
	cfgFile := f.config
	if cfgFile == "" {
		cfgFile = filepath.Join(path, ConfigFile)
	}
	return restrictToChanged(ctx, opts, cfg, cfgFile, f.changedSince, stderr, f.quiet)
}
