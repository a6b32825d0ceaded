package check

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// CacheStats counts, by cache bucket, the lookups of a run and the
// entries it wrote: each entry that was missing or no longer stood (a file
// it read changed) is made again and written, so lookups less writes is
// what the cache saved.
type CacheStats struct {
	mu   sync.Mutex
	gets map[string]int
	puts map[string]int
}

// String says, per bucket, how many lookups were served from the cache,
// e.g. "kustomize-build-v1 98/100 reused".
func (s *CacheStats) String() string {
	if s == nil {
		return "no cache"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var parts []string
	for bucket, n := range s.gets {
		parts = append(parts, fmt.Sprintf("%s %d/%d reused", bucket, max(n-s.puts[bucket], 0), n))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// countingStore counts the lookups of a Store.
type countingStore struct {
	Store
	stats *CacheStats
}

func (c countingStore) Get(bucket, key string) ([]byte, bool) {
	c.stats.mu.Lock()
	c.stats.gets[bucket]++
	c.stats.mu.Unlock()
	return c.Store.Get(bucket, key)
}

func (c countingStore) Put(bucket, key string, data []byte) error {
	c.stats.mu.Lock()
	c.stats.puts[bucket]++
	c.stats.mu.Unlock()
	return c.Store.Put(bucket, key, data)
}
