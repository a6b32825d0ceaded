package schema

import (
	"slices"
	"strconv"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/model"
)

// diskResults keeps the validation result of each object of a cluster in
// the cache folder, so that the next run of fluxlint check validates again
// only the objects that changed: after one file changed, most of a
// cluster's objects are the same and their CRDs need no compiling. The
// resultMemo does the same in memory for the language server.
//
// A cluster's record is a cache.SealedRound: by a hash of each object's
// content, its Result sealed with a key derived from that content, as a
// violation's message may quote a value, under the context its results
// were made in. A result stands when the object's content, the context and
// the run's configuration (the bucket's salt: the fluxlint build, the
// options, the files the options name) are the same. Only Valid and
// Invalid results are kept: the others lead to further validations
// (UnservedVersion) or to a finding made once per run (NoSchema).
type diskResults struct {
	bucket cache.Bucket
}

// KeepResultsIn makes the Checker keep each object's validation result in
// the bucket between runs; the bucket's salt must name everything besides
// the cluster's versions, its CRDs and the objects that results depend on
// (the run's configuration and the fluxlint build). A Bucket without a
// Store keeps nothing.
func (s *Checker) KeepResultsIn(b cache.Bucket) {
	if b.Store != nil {
		s.disk = &diskResults{bucket: b}
	}
}

// round loads the record of a cluster made in context, or starts an empty
// one; nil without a bucket or a context.
func (d *diskResults) round(cluster, context string) *cache.SealedRound {
	if d == nil || context == "" {
		return nil
	}
	return cache.LoadRound(d.bucket, d.bucket.Key(cluster), context)
}

// keep replaces the record of a cluster with what the round found and
// made, unless that is what the record holds already.
func (d *diskResults) keep(cluster, context string, r *cache.SealedRound) {
	if d != nil {
		r.Save(d.bucket, d.bucket.Key(cluster), context)
	}
}

// An objectKey is how a round finds an object's result: a hash of its
// content, and the key that seals the result, derived from the content in
// another way.
type objectKey struct {
	lookup string
	seal   []byte
}

// keyOf returns the keys of an object's content; ok is false when the
// content cannot be encoded.
func keyOf(content map[string]any) (objectKey, bool) {
	sum, sealPart, ok := cache.ValueHashes(content)
	if !ok {
		return objectKey{}, false
	}
	return objectKey{lookup: cache.Key("schema result", sum), seal: cache.SealKey("schema result", sealPart)}, true
}

// keepResult keeps a result made by this check in the round, when it is
// one that may be kept.
func keepResult(r *cache.SealedRound, k objectKey, res Result) {
	if res.Status == Valid || res.Status == Invalid {
		r.Put(k.lookup, k.seal, res)
	}
}

// objectKeys returns the keys of the objects of a cluster and of the CRDs
// it is checked with, and the context of its results: what they depend on
// besides the objects and the run's configuration, that is the versions of
// its validator, the Flux Operator setting, the CRDs validated against and
// the catalogue versions the cluster's forks choose and the Flux CRDs its
// FluxInstance deletes (ValidateOptions.contextParts).
// The context is "" when an object cannot be encoded.
func objectKeys(v *Validator, c *model.Cluster, crds []*model.Object, opts ValidateOptions) (map[*model.Object]objectKey, string) {
	keys := make(map[*model.Object]objectKey, len(c.Objects)+len(crds))
	for _, o := range append(slices.Clip(c.Objects), crds...) {
		if _, done := keys[o]; done {
			continue
		}
		k, ok := keyOf(o.Content)
		if !ok {
			return nil, ""
		}
		keys[o] = k
	}
	parts := []string{v.KubernetesVersion(), v.FluxVersion(), strconv.FormatBool(opts.FluxOperator)}
	parts = append(parts, opts.contextParts()...)
	for _, o := range crds {
		parts = append(parts, keys[o].lookup)
	}
	return keys, cache.Key(parts...)
}
