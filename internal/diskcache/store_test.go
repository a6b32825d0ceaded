package diskcache

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func TestKey(t *testing.T) {
	// The parts are separated, so moving a byte between them changes the key.
	if Key("ab", "c") == Key("a", "bc") {
		t.Fatal("Key does not separate its parts")
	}
	// sha256("a\x00"), computed with Python's hashlib.
	const want = "ffe9aaeaa2a2d5048174df0b80599ef0197ec024c4b051bc9860cff58ef7f9f3"
	if got := Key("a"); got != want {
		t.Fatalf("Key(a) = %q, want %q", got, want)
	}
}

func TestPutGet(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	key := Key("chart", "1.0.0")
	if _, ok := s.Get("render", key); ok {
		t.Fatal("hit in an empty store")
	}
	if err := s.Put("render", key, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	got, ok := s.Get("render", key)
	if !ok || string(got) != "hello" {
		t.Fatalf("Get = %q, %v", got, ok)
	}
	want := filepath.Join(s.Dir, "render", key[:2], key)
	if _, err := os.Stat(want); err != nil {
		t.Fatalf("blob not at %s: %v", want, err)
	}
	info, err := os.Stat(filepath.Join(s.Dir, "render"))
	if err != nil || info.Mode().Perm() != 0o750 {
		t.Fatalf("bucket folder mode = %v, %v", info.Mode().Perm(), err)
	}
	// Overwrite replaces the blob.
	if err := s.Put("render", key, []byte("again")); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Get("render", key); string(got) != "again" {
		t.Fatalf("after overwrite Get = %q", got)
	}
}

func TestInvalidNames(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	for _, c := range [][2]string{{"", "abc"}, {"..", "abc"}, {"b", "../x"}, {"b/c", "abc"}, {"b", "a"}, {"b", ".tmp-x"}} {
		if err := s.Put(c[0], c[1], []byte("x")); err == nil {
			t.Errorf("Put(%q, %q) succeeded", c[0], c[1])
		}
		if _, ok := s.Get(c[0], c[1]); ok {
			t.Errorf("Get(%q, %q) hit", c[0], c[1])
		}
	}
}

func TestGetTouches(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	key := Key("k")
	if err := s.Put("b", key, []byte("x")); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(s.Dir, "b", key[:2], key)
	old := time.Now().Add(-48 * time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Get("b", key); !ok {
		t.Fatal("miss")
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(info.ModTime()) > time.Hour {
		t.Fatalf("Get left mtime at %v", info.ModTime())
	}
}

func TestConcurrentPutGet(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	key := Key("shared")
	blobs := [][]byte{bytes.Repeat([]byte("a"), 64<<10), bytes.Repeat([]byte("b"), 64<<10)}
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for g := range 2 {
		wg.Go(func() {
			for i := range 200 {
				if err := s.Put("b", key, blobs[g]); err != nil {
					errs <- err
					return
				}
				got, ok := s.Get("b", key)
				if !ok {
					errs <- fmt.Errorf("goroutine %d, round %d: miss after Put", g, i)
					return
				}
				if !bytes.Equal(got, blobs[0]) && !bytes.Equal(got, blobs[1]) {
					errs <- fmt.Errorf("goroutine %d, round %d: torn blob of %d bytes", g, i, len(got))
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// No temporary file is left behind.
	_, files, err := s.Usage()
	if err != nil || files != 1 {
		t.Fatalf("Usage files = %d, %v; want 1", files, err)
	}
}

func TestConcurrentPutPrune(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := range 200 {
			if err := s.Put("b", Key(fmt.Sprint(i)), []byte("data")); err != nil {
				t.Error(err)
				return
			}
		}
	})
	wg.Go(func() {
		for range 50 {
			if _, _, err := s.Prune(0); err != nil {
				t.Error(err)
				return
			}
		}
	})
	wg.Wait()
}

// TestHolds checks that Holds tells an empty or missing bucket from one
// with a blob, and refuses a bucket name that leaves the folder.
func TestHolds(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	if s.Holds("b") {
		t.Fatal("a missing bucket holds a blob")
	}
	if err := s.Put("b", Key("k"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	if !s.Holds("b") {
		t.Fatal("a bucket with a blob holds none")
	}
	if s.Holds("c") || s.Holds("..") {
		t.Fatal("another bucket, or the folder's parent, holds a blob")
	}
}
