package cache

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestFileMemo checks that a memo gives FileHashes and FileSum, hashes a
// file once for its run (the hashes of the content first read), and that
// a nil memo hashes each time.
func TestFileMemo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.yaml")
	if err := os.WriteFile(path, []byte("a: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sum, seal := FileHashes(path)
	if sum == "" || seal == "" || sum == seal || sum != FileSum(path) {
		t.Fatalf("FileHashes = %q, %q; FileSum = %q", sum, seal, FileSum(path))
	}
	memo := &FileMemo{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if s, k := memo.Hashes(path); s != sum || k != seal {
				t.Errorf("memo.Hashes = %q, %q, want %q, %q", s, k, sum, seal)
			}
		})
	}
	wg.Wait()
	if err := os.WriteFile(path, []byte("a: 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if s, k := memo.Hashes(path); s != sum || k != seal || memo.Sum(path) != sum {
		t.Error("the memo hashed the file again within its run")
	}
	var none *FileMemo
	if s, _ := none.Hashes(path); s == sum || s != FileSum(path) {
		t.Error("a nil memo did not hash the changed file")
	}
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	if s, k := memo.Hashes(missing); s != "" || k != "" || memo.Sum(missing) != "" {
		t.Errorf("a missing file hashes to %q, %q", s, k)
	}
}

// TestFileMemoAdd checks that the bytes a run read give the hashes
// FileHashes gives, and that Add keeps the hashes a memo has already.
func TestFileMemoAdd(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.yaml")
	if err := os.WriteFile(path, []byte("a: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sum, seal := FileHashes(path)
	memo := &FileMemo{}
	memo.Add(path, []byte("a: 1\n"))
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if s, k := memo.Hashes(path); s != sum || k != seal {
		t.Errorf("after Add: %q, %q, want %q, %q", s, k, sum, seal)
	}
	memo.Add(path, []byte("other"))
	if s, _ := memo.Hashes(path); s != sum {
		t.Error("a second Add replaced the hashes")
	}
	var none *FileMemo
	none.Add(path, nil)
}
