package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fluxlint/fluxlint/internal/diskcache"
)

// runCache runs fluxlint with args and returns the exit code and output.
func runCache(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestCacheDir(t *testing.T) {
	// The default is under XDG_CACHE_HOME, which TestMain sets.
	code, out, _ := runCache(t, "cache", "dir", t.TempDir())
	if want := filepath.Join(os.Getenv("XDG_CACHE_HOME"), "fluxlint"); code != ExitOK || strings.TrimSpace(out) != want {
		t.Fatalf("cache dir = %d %q, want %q", code, out, want)
	}
	// The configuration's cacheDir, then --cache-dir, win. The
	// repository's own configuration may only name a folder inside it,
	// relative to it; a configuration given with --config, any.
	repo := writeRepo(t, map[string]string{ConfigFile: "cacheDir: .cache/fluxlint\n"})
	if _, out, _ := runCache(t, "cache", "dir", repo); strings.TrimSpace(out) != filepath.Join(repo, ".cache/fluxlint") {
		t.Fatalf("with config: %q", out)
	}
	own := filepath.Join(t.TempDir(), "own.yaml")
	if err := os.WriteFile(own, []byte("cacheDir: /tmp/from-config\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, out, _ := runCache(t, "cache", "dir", repo, "--config", own); strings.TrimSpace(out) != "/tmp/from-config" {
		t.Fatalf("with --config: %q", out)
	}
	outside := writeRepo(t, map[string]string{ConfigFile: "cacheDir: /tmp/from-config\n"})
	if code, _, errOut := runCache(t, "cache", "dir", outside); code != ExitError || !strings.Contains(errOut, "outside the repository") {
		t.Fatalf("a repository's cacheDir outside it: exit %d, %q", code, errOut)
	}
	if _, out, _ := runCache(t, "cache", "dir", repo, "--cache-dir", "/tmp/flag"); strings.TrimSpace(out) != "/tmp/flag" {
		t.Fatalf("with flag: %q", out)
	}
}

func TestCachePrune(t *testing.T) {
	dir := t.TempDir()
	store := &diskcache.Store{Dir: dir}
	for i, age := range []time.Duration{3 * time.Hour, 2 * time.Hour, time.Hour} {
		key := diskcache.Key(string(rune('a' + i)))
		if err := store.Put("render", key, make([]byte, 1000)); err != nil {
			t.Fatal(err)
		}
		at := time.Now().Add(-age)
		if err := os.Chtimes(filepath.Join(dir, "render", key[:2], key), at, at); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errOut := runCache(t, "cache", "prune", "--cache-dir", dir, "--max-size", "1.5KB")
	if code != ExitOK || !strings.Contains(out, "removed 2 files (2.0 KiB)") || !strings.Contains(out, "1 files (1000 B) remain") {
		t.Fatalf("cache prune = %d %q %q", code, out, errOut)
	}
	if _, ok := store.Get("render", diskcache.Key("c")); !ok {
		t.Fatal("the most recently used blob was pruned")
	}
	if code, _, errOut := runCache(t, "cache", "prune", "--cache-dir", dir, "--max-size", "lots"); code != ExitError || !strings.Contains(errOut, "--max-size") {
		t.Fatalf("bad size = %d %q", code, errOut)
	}
}

func TestCacheClean(t *testing.T) {
	dir := t.TempDir()
	if err := (&diskcache.Store{Dir: dir}).Put("render", diskcache.Key("x"), []byte("data")); err != nil {
		t.Fatal(err)
	}
	chart := filepath.Join(dir, "charts", "abc", "app-1.0.0.tgz")
	if err := os.MkdirAll(filepath.Dir(chart), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(chart, []byte("tgz"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCache(t, "cache", "clean", "--cache-dir", dir)
	if code != ExitOK || !strings.Contains(out, "removed 2 files (7 B)") {
		t.Fatalf("cache clean = %d %q %q", code, out, errOut)
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 0 {
		t.Fatalf("left %v, %v", entries, err)
	}
	// An empty or missing folder is clean already.
	if code, _, errOut := runCache(t, "cache", "clean", "--cache-dir", filepath.Join(dir, "none")); code != ExitOK {
		t.Fatalf("missing folder: %d %q", code, errOut)
	}
}

func TestCacheCleanRefusesOtherFolders(t *testing.T) {
	dir := writeRepo(t, map[string]string{"README.md": "mine", "src/main.go": "package main"})
	code, _, errOut := runCache(t, "cache", "clean", "--cache-dir", dir)
	if code != ExitError || !strings.Contains(errOut, "does not look like a fluxlint cache") {
		t.Fatalf("cache clean = %d %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "src", "main.go")); err != nil {
		t.Fatal("a file was removed")
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "1048576": 1 << 20, "500MB": 500e6, "2GiB": 2 << 30, "1.5 KiB": 1536, "10kb": 10000, "7B": 7,
	} {
		got, err := parseSize(in)
		if err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "MB", "2XB", "1e30GB", "NaN"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) succeeded", in)
		}
	}
}

func TestCacheHelp(t *testing.T) {
	code, out, _ := runCache(t, "cache", "--help")
	if code != ExitOK || !strings.Contains(out, "fluxlint cache prune --max-size 500MB") {
		t.Fatalf("cache --help = %d %q", code, out)
	}
}
