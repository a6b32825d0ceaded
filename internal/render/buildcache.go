package render

import (
	"sigs.k8s.io/kustomize/api/provider"
	"sigs.k8s.io/kustomize/api/resmap"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/kbuild"
)

// A BuildCache keeps the output of kustomize builds between runs, and the
// renders made of them (rendercache.go). A build is looked up by the
// kustomization.yaml Flux generated for it (which holds what the Flux
// Kustomization adds) and its folder, and stands only while every file the
// build read has the same content. Salt must name the fluxlint build and
// the repository's list of files, for a new file in a folder changes what
// Flux's generator lists.
type BuildCache struct {
	Store cache.Store
	Salt  string
	// Files, when set, hashes each file once for the run (the run's
	// result cache shares it); nil hashes a file each time.
	Files *cache.FileMemo
}

// files returns the memo of file hashes; nil (hash each time) without a
// cache.
func (bc *BuildCache) files() *cache.FileMemo {
	if bc == nil {
		return nil
	}
	return bc.Files
}

// builds is the bucket of kustomize builds, renders that of whole renders.
func (bc *BuildCache) builds() cache.Bucket {
	return bc.Bucket("kustomize-build-v1")
}

// Bucket is the bucket of a name in the cache folder, under the build's
// salt; the empty bucket, which keeps nothing, without a cache. Besides
// the buckets of this package, it keeps the builds of Flux Operator's
// sync objects (operator.FluxInstanceSync).
func (bc *BuildCache) Bucket(name string) cache.Bucket {
	if bc == nil {
		return cache.Bucket{}
	}
	return cache.Bucket{Store: bc.Store, Name: name, Salt: bc.Salt}
}

// A buildRecord is a cached build: the files read, in the order the build
// gave them, with the content hash of each, and the built resources as
// YAML, with kustomize's origin annotations, sealed with a key derived
// from the files' contents (a build's output can hold a Secret's data,
// which is never kept in plain text, even when the repository has it so).
type buildRecord struct {
	Read, Hashes []string
	Sealed       []byte
}

// get returns a cached build's resources and the files it read, when
// none of them has changed.
func (bc *BuildCache) get(dir string, manifest []byte) (resmap.ResMap, []string, bool) {
	var rec buildRecord
	if !bc.builds().Load(bc.builds().Key(dir, string(manifest)), &rec) || len(rec.Read) != len(rec.Hashes) {
		return nil, nil, false
	}
	keys := make([]string, len(rec.Read))
	for i, path := range rec.Read {
		var sum string
		if sum, keys[i] = bc.files().Hashes(path); sum != rec.Hashes[i] {
			return nil, nil, false
		}
	}
	var out []byte
	if !cache.Open(cache.SealKey(keys...), rec.Sealed, &out) {
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
	b := bc.builds()
	if b.Store == nil {
		return
	}
	out, err := res.AsYaml()
	if err != nil {
		return
	}
	rec := buildRecord{Read: read, Hashes: make([]string, len(read))}
	keys := make([]string, len(read))
	for i, path := range read {
		rec.Hashes[i], keys[i] = bc.files().Hashes(path)
	}
	if rec.Sealed, err = cache.Seal(cache.SealKey(keys...), out); err != nil {
		return
	}
	b.Keep(b.Key(dir, string(manifest)), rec)
}
