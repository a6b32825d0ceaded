package cache

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Stats counts, by bucket, the lookups of a run and those the cache
// served: a lookup that finds its entry is served unless the run then
// writes the entry again, as it does when the entry no longer stands (a
// file it read changed).
type Stats struct {
	mu   sync.Mutex
	gets map[string]int
	// found counts, by bucket/key, the lookups that found their entry
	// since the run last wrote it.
	found map[string]int
}

// Counting returns a store that counts the lookups of store in the
// returned Stats.
func Counting(store Store) (Store, *Stats) {
	s := &Stats{gets: map[string]int{}, found: map[string]int{}}
	return countingStore{Store: store, stats: s}, s
}

// String says, per bucket, how many lookups were served from the cache,
// e.g. "kustomize-build-v1 98/100 reused".
func (s *Stats) String() string {
	if s == nil {
		return "no cache"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	served := map[string]int{}
	for k, n := range s.found {
		bucket, _, _ := strings.Cut(k, "/")
		served[bucket] += n
	}
	var parts []string
	for bucket, n := range s.gets {
		parts = append(parts, fmt.Sprintf("%s %d/%d reused", bucket, served[bucket], n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// countingStore counts the lookups of a Store.
type countingStore struct {
	Store
	stats *Stats
}

func (c countingStore) Get(bucket, key string) ([]byte, bool) {
	data, ok := c.Store.Get(bucket, key)
	c.stats.mu.Lock()
	c.stats.gets[bucket]++
	if ok {
		c.stats.found[bucket+"/"+key]++
	}
	c.stats.mu.Unlock()
	return data, ok
}

func (c countingStore) Put(bucket, key string, data []byte) error {
	c.stats.mu.Lock()
	delete(c.stats.found, bucket+"/"+key)
	c.stats.mu.Unlock()
	return c.Store.Put(bucket, key, data)
}
