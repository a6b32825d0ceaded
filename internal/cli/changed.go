package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/fluxlint/fluxlint/internal/affect"
	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/gitrev"
	"github.com/fluxlint/fluxlint/internal/source"
)

// restrictToChanged sets opts.Clusters to the clusters that the files
// changed since rev affect (see package affect), and prints a summary on
// stderr unless quiet. Setting the clusters skips the discovery of
// Kustomizations that no cluster produces. When no cluster is affected it
// returns exitError{ExitOK}: nothing to check.
func restrictToChanged(ctx context.Context, opts *check.Config, cfg Config, cfgFile, rev string, stderr io.Writer, quiet bool) error {
	cs, err := gitrev.ChangedSince(ctx, opts.Path, rev)
	if err != nil {
		return fmt.Errorf("--changed-since: %w", err)
	}
	repo, err := source.Open(opts.Path)
	if err != nil {
		return err
	}
	entries := opts.Clusters
	if len(entries) == 0 {
		if entries, err = flux.Discover(repo, nil); err != nil {
			return fmt.Errorf("discover clusters: %w", err)
		}
		opts.Prune = true
	}
	global := globalPaths(opts, cfg, cfgFile, repo.Root)
	affected := entries
	if !changesAny(cs.All, global) {
		affected, err = affect.Select(repo, entries, cs.Files, affect.Options{SelfURLs: selfURLs(cfg, repo.Root, cs.Remotes)})
		if err != nil {
			return err
		}
	}
	if !quiet {
		fmt.Fprintf(stderr, "%d of %d clusters affected by %d changed files since %s; %d skipped\n",
			len(affected), len(entries), len(cs.Files), rev, len(entries)-len(affected))
	}
	if len(affected) == 0 {
		return exitError{ExitOK}
	}
	opts.Clusters, opts.Partial = affected, true
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
