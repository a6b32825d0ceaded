package diskcache

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// tempPrefix starts the name of every temporary file, here and in the chart
// cache, so that Prune can tell them apart.
const tempPrefix = ".tmp-"

// Store keeps byte blobs under Dir/<bucket>/<key[:2]>/<key>, shared by concurrent fluxlint runs.
type Store struct{ Dir string }

// Key returns the hex SHA-256 of the parts, each followed by a 0 byte.
func Key(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// path returns where a blob is kept, or an error when the bucket or key
// would leave the store's folder.
func (s *Store) path(bucket, key string) (string, error) {
	if !validName(bucket) || !validName(key) || len(key) < 2 {
		return "", fmt.Errorf("disk cache: invalid bucket %q or key %q", bucket, key)
	}
	return filepath.Join(s.Dir, bucket, key[:2], key), nil
}

// validName reports whether name is a single plain path element.
func validName(name string) bool {
	return name != "" && name != "." && name != ".." &&
		!strings.ContainsAny(name, `/\`) && !strings.HasPrefix(name, tempPrefix)
}

// Get returns the blob and true, or nil and false when absent or unreadable; a hit sets the file's mtime to now (least-recently-used order).
func (s *Store) Get(bucket, key string) ([]byte, bool) {
	path, err := s.path(bucket, key)
	if err != nil {
		return nil, false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false
	}
	now := time.Now()
	_ = os.Chtimes(path, now, now) // best effort: a read-only cache still serves hits
	return data, true
}

// Holds reports whether bucket holds any blob, without listing it all.
func (s *Store) Holds(bucket string) bool {
	if !validName(bucket) {
		return false
	}
	f, err := os.Open(filepath.Join(s.Dir, bucket))
	if err != nil {
		return false
	}
	defer f.Close()
	names, _ := f.Readdirnames(1)
	return len(names) > 0
}

// Put stores a blob atomically (temp file in the same folder + rename), creating folders 0o750.
func (s *Store) Put(bucket, key string, data []byte) error {
	path, err := s.path(bucket, key)
	if err != nil {
		return err
	}
	// A concurrent Prune may remove the folder after it is made: try again once.
	for attempt := 0; ; attempt++ {
		err = writeAtomic(path, data)
		if err == nil || attempt == 1 || !errors.Is(err, os.ErrNotExist) {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("disk cache: %w", err)
	}
	return nil
}

// writeAtomic writes data to a temporary file beside path and renames it
// into place.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
