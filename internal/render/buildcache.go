package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"

	"sigs.k8s.io/kustomize/api/provider"
	"sigs.k8s.io/kustomize/api/resmap"

	"github.com/fluxlint/fluxlint/internal/diskcache"
	"github.com/fluxlint/fluxlint/internal/kbuild"
	"github.com/fluxlint/fluxlint/internal/safefile"
)

// A Store keeps blobs between runs, by bucket and key (diskcache.Store).
type Store interface {
	Get(bucket, key string) ([]byte, bool)
	Put(bucket, key string, data []byte) error
}

// A BuildCache keeps the output of kustomize builds between runs, and the
// renders made of them (rendercache.go). A build is looked up by the
// kustomization.yaml Flux generated for it (which holds what the Flux
// Kustomization adds) and its folder, and stands only while every file the
// build read has the same content. Salt must name the fluxlint build and
// the repository's list of files, for a new file in a folder changes what
// Flux's generator lists.
type BuildCache struct {
	Store Store
	Salt  string
}

const buildBucket = "kustomize-build-v1"

// A buildRecord is a cached build: the files read, in the order the build
// gave them, with the content hash of each, and the built resources as
// YAML, with kustomize's origin annotations, sealed with a key derived
// from the files' contents (a build's output can hold a Secret's data,
// which is never kept in plain text, even when the repository has it so).
type buildRecord struct {
	Read, Hashes []string
	Sealed       []byte
}

func (bc *BuildCache) key(dir string, manifest []byte) string {
	return diskcache.Key(bc.Salt, dir, string(manifest))
}

// get returns a cached build's resources and the files it read, when
// none of them has changed.
func (bc *BuildCache) get(dir string, manifest []byte) (resmap.ResMap, []string, bool) {
	if bc == nil || bc.Store == nil {
		return nil, nil, false
	}
	data, ok := bc.Store.Get(buildBucket, bc.key(dir, manifest))
	if !ok {
		return nil, nil, false
	}
	var rec buildRecord
	if gob.NewDecoder(bytes.NewReader(data)).Decode(&rec) != nil {
		return nil, nil, false
	}
	if len(rec.Read) != len(rec.Hashes) {
		return nil, nil, false
	}
	keys := make([]string, len(rec.Read))
	for i, path := range rec.Read {
		var sum string
		if sum, keys[i] = contentHashes(path); sum != rec.Hashes[i] {
			return nil, nil, false
		}
	}
	out, err := diskcache.Open(diskcache.SealKey(keys...), rec.Sealed)
	if err != nil {
		return nil, nil, false
	}
	factory := resmap.NewFactory(provider.NewDefaultDepProvider().GetResourceFactory())
	res, err := factory.NewResMapFromBytes(out)
	if err != nil {
		return nil, nil, false
	}
	for _, r := range res.Resources() {
		// The build was written out and read back once already.
		kbuild.Settle(r.YNode())
	}
	return res, rec.Read, true
}

// put keeps a successful build.
func (bc *BuildCache) put(dir string, manifest []byte, res resmap.ResMap, read []string) {
	if bc == nil || bc.Store == nil {
		return
	}
	out, err := res.AsYaml()
	if err != nil {
		return
	}
	rec := buildRecord{Read: read, Hashes: make([]string, len(read))}
	keys := make([]string, len(read))
	for i, path := range read {
		rec.Hashes[i], keys[i] = contentHashes(path)
	}
	if rec.Sealed, err = diskcache.Seal(diskcache.SealKey(keys...), out); err != nil {
		return
	}
	var buf bytes.Buffer
	if gob.NewEncoder(&buf).Encode(rec) == nil {
		// A cache that cannot be written only makes the next run slower.
		_ = bc.Store.Put(buildBucket, bc.key(dir, manifest), buf.Bytes())
	}
}

// contentHashes returns two independent hashes of a file's content: the
// SHA-256 that a record keeps to tell a changed file, and one that the
// record does not keep, for the sealing key; "" when it cannot be read.
func contentHashes(path string) (sum, key string) {
	data, err := safefile.ReadFile(path)
	if err != nil {
		return "", ""
	}
	s := sha256.Sum256(data)
	k := sha256.Sum256(append([]byte("fluxlint build key\x00"), data...))
	return hex.EncodeToString(s[:]), hex.EncodeToString(k[:])
}
