package check

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// CacheStats counts, by cache bucket, the lookups of a run and how many
// found what they looked for.
type CacheStats struct {
	mu   sync.Mutex
	gets map[string]int
	hits map[string]int
}

// String says, per bucket, how many lookups hit, e.g.
// "kustomize-build-v1 98/100".
func (s *CacheStats) String() string {
	if s == nil {
		return "no cache"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var parts []string
	for bucket, n := range s.gets {
		parts = append(parts, fmt.Sprintf("%s %d/%d", bucket, s.hits[bucket], n))
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
	data, ok := c.Store.Get(bucket, key)
	c.stats.mu.Lock()
	c.stats.gets[bucket]++
	if ok {
		c.stats.hits[bucket]++
	}
	c.stats.mu.Unlock()
	return data, ok
}
