package gitrev

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Changes are what changed in a Git work tree since a revision.
type Changes struct {
	// Files are the changed files inside the folder asked about, as
	// slash-separated paths relative to it; All are every changed file of
	// the work tree, absolute.
	Files, All []string
	// Remotes are the URLs of the work tree's Git remotes.
	Remotes []string
}

// ChangedSince lists the files that differ between rev and the work tree
// of the Git repository that holds path: changed, added, deleted, renamed
// (both names) and untracked files that are not ignored. Git runs with
// GIT_OPTIONAL_LOCKS=0, so it writes nothing to the repository, not even
// the index's stat cache. Its errors name no command: callers prefix
// theirs.
func ChangedSince(ctx context.Context, path, rev string) (*Changes, error) {
	top, prefix, commit, err := resolveRevision(ctx, path, rev)
	var notWorkTree notWorkTreeError
	switch {
	case errors.As(err, &notWorkTree):
		return nil, fmt.Errorf("%s is not in a Git work tree: %w", path, err)
	case errors.Is(err, errNoRevision):
		return nil, fmt.Errorf("no Git revision %q", rev)
	case err != nil:
		return nil, err
	}
	// git diff refreshes the stat cache of the index it reads, whatever
	// GIT_OPTIONAL_LOCKS says: give it a copy.
	index, cleanup, err := indexCopy(ctx, top)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	diff, err := gitRaw(ctx, top, index, "diff", "--name-only", "--no-renames", "-z", commit, "--")
	if err != nil {
		return nil, fmt.Errorf("git diff: %w", err)
	}
	untracked, err := gitRaw(ctx, top, index, "ls-files", "--others", "--exclude-standard", "-z")
	if err != nil {
		return nil, fmt.Errorf("git ls-files: %w", err)
	}
	cs := &Changes{}
	seen := map[string]bool{}
	for _, p := range strings.Split(diff+"\x00"+untracked, "\x00") {
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		cs.All = append(cs.All, filepath.Join(top, filepath.FromSlash(p)))
		if rel, ok := strings.CutPrefix(p, prefix); ok {
			cs.Files = append(cs.Files, rel)
		}
	}
	// No remote is no error: git config exits 1.
	remotes, _ := git(ctx, top, "config", "--get-regexp", `^remote\..*\.url$`)
	for _, line := range strings.Split(remotes, "\n") {
		if _, url, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
			cs.Remotes = append(cs.Remotes, url)
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
