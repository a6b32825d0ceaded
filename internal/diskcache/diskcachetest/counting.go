// Package diskcachetest helps tests see what a cache folder serves.
package diskcachetest

import (
	"sync"

	"github.com/fluxlint/fluxlint/internal/diskcache"
)

// A Counting store is a diskcache.Store that counts the records it
// serves, by bucket.
type Counting struct {
	diskcache.Store
	mu   sync.Mutex
	hits map[string]int
}

// NewCounting returns a counting store over the cache folder dir.
func NewCounting(dir string) *Counting {
	return &Counting{Store: diskcache.Store{Dir: dir}, hits: map[string]int{}}
}

// Get returns a record as diskcache.Store does, counting it when found.
func (s *Counting) Get(bucket, key string) ([]byte, bool) {
	data, ok := s.Store.Get(bucket, key)
	if ok {
		s.mu.Lock()
		s.hits[bucket]++
		s.mu.Unlock()
	}
	return data, ok
}

// Take returns the records of a bucket served since the last call.
func (s *Counting) Take(bucket string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.hits[bucket]
	s.hits[bucket] = 0
	return n
}
