package gitrev

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Extract writes the files of a git revision of the repository that holds
// path into dir, with git archive, and returns the folder in dir that
// corresponds to path. It reads the repository and never writes to it.
// Its errors name no command: callers prefix theirs.
func Extract(ctx context.Context, path, rev, dir string) (string, error) {
	top, prefix, commit, err := resolveRevision(ctx, path, rev)
	var notWorkTree notWorkTreeError
	switch {
	case errors.As(err, &notWorkTree):
		return "", fmt.Errorf("%s is not in a git repository: %w", path, err)
	case errors.Is(err, errNoRevision):
		return "", fmt.Errorf("no git revision %q", rev)
	case err != nil:
		return "", err
	}
	sub := filepath.Join(dir, filepath.FromSlash(prefix))
	if err := os.MkdirAll(sub, 0o750); err != nil {
		return "", err
	}
	if prefix != "" && !existsAt(ctx, top, commit, prefix) {
		return sub, nil // the folder does not exist at rev: nothing to render
	}
	args := []string{"-C", top, "archive", "--format=tar", commit}
	if prefix != "" {
		args = append(args, "--", prefix)
	}
	// The revision is a commit ID that rev-parse resolved, never an option.
	cmd := exec.CommandContext(ctx, "git", args...) //nolint:gosec // G204: git with arguments built above
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("run git: %w", err)
	}
	untarErr := untar(out, dir)
	_, _ = io.Copy(io.Discard, out) // let git finish if untar stopped early
	if err := cmd.Wait(); err != nil {
		return "", fmt.Errorf("git archive %s: %s", rev, firstLine(stderr.String(), err))
	}
	if untarErr != nil {
		return "", fmt.Errorf("read git archive of %s: %w", rev, untarErr)
	}
	return sub, nil
}

// existsAt reports whether a folder of the repository exists at a commit.
func existsAt(ctx context.Context, top, commit, prefix string) bool {
	_, err := git(ctx, top, "cat-file", "-e", commit+":"+strings.TrimSuffix(prefix, "/"))
	return err == nil
}

// untar writes a tar stream into dir: folders, regular files, and
// symbolic links that stay inside dir. Entries that would leave dir are
// an error.
func untar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.Clean(filepath.FromSlash(h.Name))
		if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, ".."+string(filepath.Separator)) {
			return fmt.Errorf("entry %q leaves the folder", h.Name)
		}
		target := filepath.Join(dir, name)
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(target, 0o750)
		case tar.TypeReg:
			err = writeTarFile(target, tr, h.FileInfo().Mode().Perm()&0o750|0o600)
		case tar.TypeSymlink:
			err = symlinkInside(dir, target, h.Linkname)
		}
		if err != nil {
			return err
		}
	}
}

func writeTarFile(target string, r io.Reader, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
		return err
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		return errors.Join(err, f.Close())
	}
	return f.Close()
}

// symlinkInside creates a relative symbolic link whose target stays in
// dir; other links are left out, as the repository's files would not
// follow them either.
func symlinkInside(dir, target, link string) error {
	if filepath.IsAbs(link) {
		return nil
	}
	resolved := filepath.Join(filepath.Dir(target), filepath.FromSlash(link))
	rel, err := filepath.Rel(dir, resolved)
	if err != nil {
		return err
	}
	if rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o750); err != nil {
		return err
	}
	return os.Symlink(link, target)
}
