package cache

import (
	"encoding/json"
	"sync"

	"github.com/fluxlint/fluxlint/internal/diskcache"
)

// A SealedRound is one run's use of a record that keeps values by a hash
// of what each was made from, each sealed under a key derived in another
// way from the same thing (SealKey), so that a record tells nothing to
// whoever does not have what it was made from: the values the last run
// kept, and those this run used or made, which replace them. Values are
// sealed as JSON, not gob: a run opens hundreds, and a gob decoder
// compiles its decoding of the type anew for each. The schema checker
// keeps each object's result so, and discovery what it read in each file.
// A nil *SealedRound keeps nothing; it is safe for concurrent use.
type SealedRound struct {
	mu         sync.Mutex
	last, next map[string][]byte
	// made says a value was made this run, so the record changes.
	made bool
}

// sealedRecord is what a SealedRound keeps: the context its values were
// made in, and the sealed values by lookup key.
type sealedRecord struct {
	Context string
	Values  map[string][]byte
}

// LoadRound starts a round from the record at key of the bucket, when it
// was made in the same context, or from nothing.
func LoadRound(b Bucket, key, context string) *SealedRound {
	var rec sealedRecord
	if !b.Load(key, &rec) || rec.Context != context {
		rec.Values = nil
	}
	return &SealedRound{last: rec.Values, next: map[string][]byte{}}
}

// Get decodes into v the value kept at lookup, opened with seal, and keeps
// it for the next record; false when there is none or it does not open.
func (r *SealedRound) Get(lookup string, seal []byte, v any) bool {
	if r == nil {
		return false
	}
	r.mu.Lock()
	sealed, ok := r.last[lookup]
	r.mu.Unlock()
	if !ok {
		return false
	}
	plain, err := diskcache.Open(seal, sealed)
	if err != nil || json.Unmarshal(plain, v) != nil {
		return false
	}
	r.mu.Lock()
	r.next[lookup] = sealed
	r.mu.Unlock()
	return true
}

// Put keeps v at lookup for the next record, sealed under seal.
func (r *SealedRound) Put(lookup string, seal []byte, v any) {
	if r == nil {
		return
	}
	plain, err := json.Marshal(v)
	if err != nil {
		return
	}
	sealed, err := diskcache.Seal(seal, plain)
	if err != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.next[lookup] = sealed
	r.made = true
}

// Save replaces the record at key with the values this round used and
// made, unless those are what the record holds already.
func (r *SealedRound) Save(b Bucket, key, context string) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.made && len(r.next) == len(r.last) {
		return
	}
	b.Keep(key, sealedRecord{Context: context, Values: r.next})
}
