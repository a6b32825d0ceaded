package gitrev

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// repoWith makes a Git repository with one commit of the given files and
// returns its folder (symbolic links resolved).
func repoWith(t *testing.T, files map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		write(t, filepath.Join(dir, name), text)
	}
	for _, args := range [][]string{{"init", "-q"}, {"add", "."}, {"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "first"}} {
		cmd := exec.CommandContext(t.Context(), "git", append([]string{"-C", dir}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestChangedSince: a changed, a new and a deleted file are listed, those
// of the folder asked about relative to it, and the index is not written.
func TestChangedSince(t *testing.T) {
	dir := repoWith(t, map[string]string{"apps/a.yaml": "a: 1\n", "apps/b.yaml": "b: 1\n", "infra/c.yaml": "c: 1\n"})
	write(t, filepath.Join(dir, "apps", "a.yaml"), "a: 2\n")
	write(t, filepath.Join(dir, "apps", "new.yaml"), "n: 1\n")
	if err := os.Remove(filepath.Join(dir, "infra", "c.yaml")); err != nil {
		t.Fatal(err)
	}
	index := filepath.Join(dir, ".git", "index")
	before, err := os.Stat(index)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := ChangedSince(context.Background(), filepath.Join(dir, "apps"), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(cs.Files)
	if want := []string{"a.yaml", "new.yaml"}; !slices.Equal(cs.Files, want) {
		t.Errorf("files %v, want %v", cs.Files, want)
	}
	if len(cs.All) != 3 || !slices.Contains(cs.All, filepath.Join(dir, "infra", "c.yaml")) {
		t.Errorf("all %v, want the three changes, absolute", cs.All)
	}
	if after, err := os.Stat(index); err != nil || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("the index was written (%v)", err)
	}
}

func TestChangedSinceErrors(t *testing.T) {
	dir := repoWith(t, map[string]string{"a.yaml": "a: 1\n"})
	if _, err := ChangedSince(context.Background(), dir, "no-such-branch"); err == nil || err.Error() != `no Git revision "no-such-branch"` {
		t.Errorf("unknown revision: %v", err)
	}
	outside := t.TempDir()
	_, err := ChangedSince(context.Background(), outside, "HEAD")
	var nwt notWorkTreeError
	if !errors.As(err, &nwt) || !strings.Contains(err.Error(), "is not in a Git work tree") {
		t.Errorf("outside a work tree: %v", err)
	}
}
