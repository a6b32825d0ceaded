// Package gitroot finds the Git work tree that holds a folder, without
// running git: the nearest folder at or above it that has a .git entry (a
// folder, or the file of a linked worktree or submodule).
//
// Outputs name files from the work tree's top so that annotations and
// code scanning find them when the checked Flux tree is a subfolder of the
// repository; the Flux source of the repository itself reads paths written
// from the top too.
package gitroot

import (
	"os"
	"path/filepath"
)

// Find returns the top folder of the Git work tree that holds dir and
// dir's slash-separated path inside it ("" at the top). dir is made
// absolute and its symbolic links are resolved first. ok is false when no
// folder at or above dir has a .git entry; then top is dir itself.
func Find(dir string) (top, prefix string, ok bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir, "", false
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		abs = resolved
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			rel, err := filepath.Rel(d, abs)
			if err != nil {
				return abs, "", false
			}
			if rel == "." {
				rel = ""
			}
			return d, filepath.ToSlash(rel), true
		}
		if filepath.Dir(d) == d {
			return abs, "", false
		}
	}
}

// Prefix returns dir's slash-separated path inside the Git work tree that
// holds it: "" when dir is the top of one or in none.
func Prefix(dir string) string {
	_, prefix, _ := Find(dir)
	return prefix
}
