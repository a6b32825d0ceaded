package helm

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// CacheDirOr returns dir, or DefaultCacheDir when dir is "".
func CacheDirOr(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	return DefaultCacheDir()
}

// DefaultCacheDir returns the chart cache folder: $XDG_CACHE_HOME/fluxlint,
// else ~/.cache/fluxlint.
func DefaultCacheDir() (string, error) {
	if dir := os.Getenv("XDG_CACHE_HOME"); dir != "" {
		return filepath.Join(dir, "fluxlint"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the cache folder: %w", err)
	}
	return filepath.Join(home, ".cache", "fluxlint"), nil
}

// A Cache keeps downloaded charts and repository indexes on disk, shared
// across runs and repositories. Charts are keyed by repository URL, name
// and version; their digest is checked when the index gives one.
type Cache struct {
	Dir string
}

func hashKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:24]
}

// indexPath is where the index of a repository is kept.
func (c *Cache) indexPath(repoURL string) string {
	return filepath.Join(c.Dir, "index", hashKey(repoURL)+".yaml")
}

// chartPath is where a chart archive is kept.
func (c *Cache) chartPath(repoURL, name, version string) string {
	return filepath.Join(c.Dir, "charts", hashKey(repoURL), name+"-"+version+".tgz")
}

// read returns a cached file, or nil when it is not cached.
func (c *Cache) read(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	return data, err
}

// write stores a file atomically: a temporary file renamed into place.
func (c *Cache) write(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("chart cache: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("chart cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("chart cache: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("chart cache: %w", err)
	}
	return os.Rename(tmp.Name(), path)
}

// digestOf returns the hex SHA-256 of data, as chart indexes give it.
func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
