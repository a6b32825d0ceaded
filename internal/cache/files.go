package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"sync"

	"github.com/fluxlint/fluxlint/internal/safefile"
)

// FileSum returns the hex SHA-256 of a file's content, "" when it cannot
// be read: what a record keeps to tell that a file it depends on changed.
func FileSum(path string) string {
	f, err := safefile.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

// FileHashes returns two independent hashes of a file's content: its
// FileSum, which a record keeps, and one the record does not keep, for the
// key that seals it (SealKey); "" when the file cannot be read.
func FileHashes(path string) (sum, sealPart string) {
	data, err := safefile.ReadFile(path)
	if err != nil {
		return "", ""
	}
	return dataHashes(data)
}

// dataHashes returns the FileHashes of a file's content.
func dataHashes(data []byte) (sum, sealPart string) {
	s := sha256.Sum256(data)
	k := sha256.New()
	_, _ = k.Write([]byte("fluxlint build key\x00"))
	_, _ = k.Write(data)
	return hex.EncodeToString(s[:]), hex.EncodeToString(k.Sum(nil))
}

// A FileMemo hashes each file at most once for a run (FileHashes): the
// records of a run's renders and its result cache ask for the hashes of
// the same files, a file of a shared component dozens of times. It keeps
// the hashes of a file as first read in the run, so it is made for one
// run and dropped with it. The zero value is ready; a nil *FileMemo hashes
// a file each time it is asked.
type FileMemo struct {
	mu     sync.Mutex
	hashes map[string][2]string
}

// Hashes returns FileHashes(path), worked out the first time path is
// asked for.
func (m *FileMemo) Hashes(path string) (sum, sealPart string) {
	if m == nil {
		return FileHashes(path)
	}
	h, ok := m.lookup(path)
	if !ok {
		sum, sealPart = FileHashes(path)
		h = m.keep(path, [2]string{sum, sealPart})
	}
	return h[0], h[1]
}

// Add keeps the hashes of data as those of the file at path, unless the
// memo has some already: the repository's reads (source.Repo.Read) give
// it the bytes of the files they read, so that most files are not read a
// second time for their hashes.
func (m *FileMemo) Add(path string, data []byte) {
	if m == nil {
		return
	}
	if _, ok := m.lookup(path); !ok {
		sum, sealPart := dataHashes(data)
		m.keep(path, [2]string{sum, sealPart})
	}
}

// lookup returns the hashes kept for path.
func (m *FileMemo) lookup(path string) ([2]string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.hashes[path]
	return h, ok
}

// keep keeps h as the hashes of path unless some were kept meanwhile, and
// returns those kept: the first read of a file in the run wins.
func (m *FileMemo) keep(path string, h [2]string) [2]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if kept, ok := m.hashes[path]; ok {
		return kept
	}
	if m.hashes == nil {
		m.hashes = map[string][2]string{}
	}
	m.hashes[path] = h
	return h
}

// Sum returns the FileSum of path, from Hashes: the two agree for every
// file that can be read, and are "" for one that cannot.
func (m *FileMemo) Sum(path string) string {
	sum, _ := m.Hashes(path)
	return sum
}
