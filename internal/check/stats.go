package check

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// CacheStats counts, by cache bucket, the lookups of a run and the entries
// the cache served: an entry found is served unless the run writes it
// again, as it does when the entry no longer stands (a file it read
// changed).
type CacheStats struct {
	mu   sync.Mutex
	gets map[string]int
	// found and put hold bucket/key of the entries found and written.
	found, put map[string]bool
}

// String says, per bucket, how many lookups were served from the cache,
// e.g. "kustomize-build-v1 98/100 reused".
func (s *CacheStats) String() string {
	if s == nil {
		return "no cache"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	served := map[string]int{}
	for k := range s.found {
		if !s.put[k] {
			bucket, _, _ := strings.Cut(k, "/")
			served[bucket]++
		}
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
	stats *CacheStats
}

func (c countingStore) Get(bucket, key string) ([]byte, bool) {
	data, ok := c.Store.Get(bucket, key)
	c.stats.mu.Lock()
	c.stats.gets[bucket]++
	if ok {
		c.stats.found[bucket+"/"+key] = true
	}
	c.stats.mu.Unlock()
	return data, ok
}

func (c countingStore) Put(bucket, key string, data []byte) error {
	c.stats.mu.Lock()
	c.stats.put[bucket+"/"+key] = true
	c.stats.mu.Unlock()
	return c.Store.Put(bucket, key, data)
}
