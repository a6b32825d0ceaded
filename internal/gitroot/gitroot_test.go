package gitroot

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFind(t *testing.T) {
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	repo := filepath.Join(tmp, "repo")
	sub := filepath.Join(repo, "gitops", "fleet")
	worktree := filepath.Join(tmp, "worktree")
	outside := filepath.Join(tmp, "plain")
	for _, d := range []string{filepath.Join(repo, ".git"), sub, worktree, outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// A linked worktree's .git is a file.
	if err := os.WriteFile(filepath.Join(worktree, ".git"), []byte("gitdir: /elsewhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(tmp, "link")
	if err := os.Symlink(sub, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dir, top, prefix string
		ok                     bool
	}{
		{name: "top", dir: repo, top: repo, prefix: "", ok: true},
		{name: "subfolder", dir: sub, top: repo, prefix: "gitops/fleet", ok: true},
		{name: "link to a subfolder", dir: link, top: repo, prefix: "gitops/fleet", ok: true},
		{name: ".git file", dir: worktree, top: worktree, prefix: "", ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top, prefix, ok := Find(tt.dir)
			if top != tt.top || prefix != tt.prefix || ok != tt.ok {
				t.Errorf("Find(%s) = %q, %q, %v; want %q, %q, %v", tt.dir, top, prefix, ok, tt.top, tt.prefix, tt.ok)
			}
		})
	}
	// A folder in no work tree: the temporary folder may itself lie in
	// one on an unusual machine, so only the prefix of a top is checked.
	if top, prefix, ok := Find(outside); ok && prefix == "" {
		t.Errorf("Find(%s) = %q, %q, %v: a folder below a top has a prefix", outside, top, prefix, ok)
	} else if !ok && (top != outside || prefix != "") {
		t.Errorf("Find(%s) = %q, %q, %v; want itself, \"\", false", outside, top, prefix, ok)
	}
	if got := Prefix(sub); got != "gitops/fleet" {
		t.Errorf("Prefix = %q", got)
	}
}
