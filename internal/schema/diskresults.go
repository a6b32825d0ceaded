package schema

import (
	"encoding/json"
	"slices"
	"strconv"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/diskcache"
	"github.com/fluxlint/fluxlint/internal/model"
)

// diskResults keeps the validation result of each object of a cluster in
// the cache folder, so that the next run of fluxlint check validates again
// only the objects that changed: after one file changed, most of a
// cluster's objects are the same and their CRDs need no compiling. The
// resultMemo does the same in memory for the language server.
//
// A cluster's record is one blob: the context its results were made in
// and, by a hash of each object's content, its Result sealed with a key
// derived from that content (cache.SealKey), as a violation's message may
// quote a value. Results are sealed as JSON, not gob: a run opens one for
// each object of the clusters it checks again, and a gob decoder compiles
// its decoding of the type anew each time. A result stands when the object's content, the context
// and the run's configuration (the bucket's salt: the fluxlint build, the
// options, the files the options name) are the same. Only Valid and
// Invalid results are kept: the others lead to further validations
// (UnservedVersion) or to a finding made once per run (NoSchema).
type diskResults struct {
	bucket cache.Bucket
}

// A diskRecord is what the cache folder keeps of one cluster.
type diskRecord struct {
	Context string
	Results map[string][]byte
}

// A diskRound is one check's use of a cluster's record: the results found
// in it and those made by the check, which replace the record.
type diskRound struct {
	last map[string][]byte
	next map[string][]byte
	// made says the check validated an object, so the record changes.
	made bool
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
func (d *diskResults) round(cluster, context string) *diskRound {
	if d == nil || context == "" {
		return nil
	}
	var rec diskRecord
	if !d.bucket.Load(d.bucket.Key(cluster), &rec) || rec.Context != context {
		rec.Results = nil
	}
	return &diskRound{last: rec.Results, next: map[string][]byte{}}
}

// keep replaces the record of a cluster with what the round found and
// made, unless that is what the record holds already.
func (d *diskResults) keep(cluster, context string, r *diskRound) {
	if d == nil || r == nil || (!r.made && len(r.next) == len(r.last)) {
		return
	}
	d.bucket.Keep(d.bucket.Key(cluster), diskRecord{Context: context, Results: r.next})
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

// get returns the result kept for an object.
func (r *diskRound) get(k objectKey) (Result, bool) {
	if r == nil {
		return Result{}, false
	}
	sealed, ok := r.last[k.lookup]
	if !ok {
		return Result{}, false
	}
	plain, err := diskcache.Open(k.seal, sealed)
	var res Result
	if err != nil || json.Unmarshal(plain, &res) != nil {
		return Result{}, false
	}
	r.next[k.lookup] = sealed
	return res, true
}

// add keeps a result made by this check, when it is one that may be kept.
func (r *diskRound) add(k objectKey, res Result) {
	if r == nil || (res.Status != Valid && res.Status != Invalid) {
		return
	}
	if sealed, err := sealResult(k.seal, res); err == nil {
		r.next[k.lookup] = sealed
		r.made = true
	}
}

// sealResult encodes a result as JSON and encrypts it under key.
func sealResult(key []byte, res Result) ([]byte, error) {
	plain, err := json.Marshal(res)
	if err != nil {
		return nil, err
	}
	return diskcache.Seal(key, plain)
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
