package cache

import (
	"bytes"
	"encoding/gob"
	"os"
	"runtime/debug"
	"strconv"
	"sync"

	"github.com/fluxlint/fluxlint/internal/diskcache"
)

// A Store keeps blobs between runs, by bucket and key: the user's cache
// folder (diskcache.Store), shared by concurrent runs.
type Store interface {
	Get(bucket, key string) ([]byte, bool)
	Put(bucket, key string, data []byte) error
}

var _ Store = (*diskcache.Store)(nil)

// Stamp names this fluxlint build: its version and VCS revision, and the
// size and time of its executable, so that a rebuilt binary never reuses
// what an older one cached. It is the same for the whole process, so it is
// worked out once.
var Stamp = sync.OnceValue(func() string {
	stamp := "unknown"
	if info, ok := debug.ReadBuildInfo(); ok {
		stamp = info.Main.Version
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
				stamp += " " + s.Value
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil {
			stamp += " " + exe + " " + st.ModTime().UTC().String() + " " + strconv.FormatInt(st.Size(), 10)
		}
	}
	return stamp
})

// A Bucket is one kind of record in a Store. Salt is what every record of
// the bucket depends on besides its own key's parts (the fluxlint build,
// the repository's list of files). A Bucket without a Store keeps nothing
// and finds nothing.
type Bucket struct {
	Store Store
	Name  string
	Salt  string
}

// Key returns the key of a record: a hash of the salt and the parts.
func (b Bucket) Key(parts ...string) string {
	return Key(append([]string{b.Salt}, parts...)...)
}

// Key returns a hash of the parts (diskcache.Key), for what a key is made
// of.
func Key(parts ...string) string { return diskcache.Key(parts...) }

// Load decodes the record kept under key into v, and reports whether
// there was one that decodes.
func (b Bucket) Load(key string, v any) bool {
	if b.Store == nil {
		return false
	}
	data, ok := b.Store.Get(b.Name, key)
	return ok && gob.NewDecoder(bytes.NewReader(data)).Decode(v) == nil
}

// Keep encodes v and keeps it under key. A record that cannot be kept only
// makes the next run slower, so there is no error.
func (b Bucket) Keep(key string, v any) {
	if b.Store == nil {
		return
	}
	var buf bytes.Buffer
	if gob.NewEncoder(&buf).Encode(v) == nil {
		_ = b.Store.Put(b.Name, key, buf.Bytes())
	}
}

// SealKey derives the key that seals a record from what it depends on
// (diskcache.SealKey): whoever can compute it already has what the record
// was made from.
func SealKey(parts ...string) []byte { return diskcache.SealKey(parts...) }

// Seal encodes v and encrypts it under a key from SealKey.
func Seal(key []byte, v any) ([]byte, error) {
	var plain bytes.Buffer
	if err := gob.NewEncoder(&plain).Encode(v); err != nil {
		return nil, err
	}
	return diskcache.Seal(key, plain.Bytes())
}

// Open decrypts what Seal made into v, and reports whether it could: it
// cannot with another key (what the record depends on changed).
func Open(key, sealed []byte, v any) bool {
	plain, err := diskcache.Open(key, sealed)
	return err == nil && gob.NewDecoder(bytes.NewReader(plain)).Decode(v) == nil
}
