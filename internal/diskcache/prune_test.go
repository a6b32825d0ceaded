package diskcache

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// putAged stores a blob of 100 bytes and sets its mtime to age ago.
func putAged(t *testing.T, s *Store, bucket, key string, age time.Duration) string {
	t.Helper()
	if err := s.Put(bucket, key, make([]byte, 100)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(s.Dir, bucket, key[:2], key)
	at := time.Now().Add(-age)
	if err := os.Chtimes(path, at, at); err != nil {
		t.Fatal(err)
	}
	return path
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func TestPruneLRU(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	oldest := putAged(t, s, "b", Key("1"), 4*time.Hour)
	old := putAged(t, s, "b", Key("2"), 3*time.Hour)
	used := putAged(t, s, "b", Key("3"), 2*time.Hour)
	newest := putAged(t, s, "other", Key("4"), time.Hour)
	// The chart cache's own files count too.
	chart := filepath.Join(s.Dir, "charts", "abc", "app-1.0.0.tgz")
	if err := os.MkdirAll(filepath.Dir(chart), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(chart, make([]byte, 100), 0o600); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-5 * time.Hour)
	if err := os.Chtimes(chart, at, at); err != nil {
		t.Fatal(err)
	}

	// A hit makes the third blob the most recently used.
	if _, ok := s.Get("b", Key("3")); !ok {
		t.Fatal("miss")
	}
	bytes, files, err := s.Usage()
	if err != nil || bytes != 500 || files != 5 {
		t.Fatalf("Usage = %d, %d, %v", bytes, files, err)
	}
	removed, freed, err := s.Prune(250)
	if err != nil {
		t.Fatal(err)
	}
	if removed != 3 || freed != 300 {
		t.Fatalf("Prune removed %d files, %d bytes; want 3, 300", removed, freed)
	}
	for _, p := range []string{chart, oldest, old} {
		if exists(p) {
			t.Errorf("%s kept", p)
		}
	}
	for _, p := range []string{used, newest} {
		if !exists(p) {
			t.Errorf("%s removed", p)
		}
	}
	// The emptied chart folders are removed, the cache folder is not.
	if exists(filepath.Join(s.Dir, "charts")) {
		t.Error("empty charts folder kept")
	}
	if !exists(s.Dir) {
		t.Error("cache folder removed")
	}
	// Under the limit, nothing more goes.
	if removed, _, _ := s.Prune(250); removed != 0 {
		t.Fatalf("second Prune removed %d", removed)
	}
}

func TestPruneTempFiles(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	dir := filepath.Join(s.Dir, "b", "ab")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, ".tmp-1")
	fresh := filepath.Join(dir, ".tmp-2")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, make([]byte, 10), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(stale, at, at); err != nil {
		t.Fatal(err)
	}
	// Even with room to spare, a stale temporary file goes; one being
	// written now stays, even over the limit.
	removed, freed, err := s.Prune(0)
	if err != nil {
		t.Fatal(err)
	}
	if removed != 1 || freed != 10 || exists(stale) || !exists(fresh) {
		t.Fatalf("Prune removed %d, freed %d; stale kept %v, fresh kept %v", removed, freed, exists(stale), exists(fresh))
	}
}

func TestMissingDir(t *testing.T) {
	s := &Store{Dir: filepath.Join(t.TempDir(), "none")}
	if b, n, err := s.Usage(); err != nil || b != 0 || n != 0 {
		t.Fatalf("Usage = %d, %d, %v", b, n, err)
	}
	if r, f, err := s.Prune(0); err != nil || r != 0 || f != 0 {
		t.Fatalf("Prune = %d, %d, %v", r, f, err)
	}
}
