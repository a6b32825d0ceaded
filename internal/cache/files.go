package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"io"

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
	s := sha256.Sum256(data)
	k := sha256.Sum256(append([]byte("fluxlint build key\x00"), data...))
	return hex.EncodeToString(s[:]), hex.EncodeToString(k[:])
}
