package gitrev

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gitRaw runs a git command that reads the repository in dir, with env
// added to the environment, and returns its output. GIT_OPTIONAL_LOCKS=0
// keeps git from taking locks it does not need.
func gitRaw(ctx context.Context, dir string, env []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...) //nolint:gosec // G204: callers pass fixed git subcommands; user revisions follow --end-of-options
	cmd.Env = append(append(os.Environ(), "GIT_OPTIONAL_LOCKS=0"), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", errors.New(firstLine(stderr.String(), err))
	}
	return string(out), nil
}

// git runs gitRaw's command and returns its trimmed output.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	out, err := gitRaw(ctx, dir, nil, args...)
	return strings.TrimSpace(out), err
}

func firstLine(s string, err error) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if s == "" {
		return err.Error()
	}
	return s
}

// errNoRevision is resolveRevision's error for a revision git does not
// know.
var errNoRevision = errors.New("no such revision")

// A notWorkTreeError is resolveRevision's error for a path outside any git
// work tree; it reads as git's message.
type notWorkTreeError struct{ err error }

func (e notWorkTreeError) Error() string { return e.err.Error() }

func (e notWorkTreeError) Unwrap() error { return e.err }

// resolveRevision finds the repository's top folder (symbolic links
// resolved), path's folder in it (with a trailing slash, or ""), and the
// commit that rev names. Its errors are a notWorkTreeError, errNoRevision,
// or git's.
func resolveRevision(ctx context.Context, path, rev string) (top, prefix, commit string, err error) {
	if top, err = git(ctx, path, "rev-parse", "--show-toplevel"); err != nil {
		return "", "", "", notWorkTreeError{err}
	}
	if resolved, err := filepath.EvalSymlinks(top); err == nil {
		top = resolved
	}
	if prefix, err = git(ctx, path, "rev-parse", "--show-prefix"); err != nil {
		return "", "", "", err
	}
	if commit, err = git(ctx, path, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}"); err != nil {
		return "", "", "", errNoRevision
	}
	return top, prefix, commit, nil
}
