package check

import (
	"bytes"
	"encoding/json"
	"maps"
	"strconv"
	"sync"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/diskcache"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/source"
)

// discoveryFacts is the flux.FactsMemo of a run with a cache folder: what
// discovery read in each file it parsed (flux.FileFacts), kept between
// runs in one record, so that a run whose files did not change finds its
// clusters without parsing them. An entry is found by its file's hash and
// sealed under a key from the file's bytes, as the render records are;
// it is JSON, not gob, since a run opens a hundred of them and gob
// compiles its decoder for each.
type discoveryFacts struct {
	bucket cache.Bucket
	key    string
	repo   *source.Repo
	files  *cache.FileMemo

	mu sync.Mutex
	// last is the record of the last run; next holds the entries this
	// run used, which the record keeps.
	last, next map[string][]byte
}

// newDiscoveryFacts opens the record of the repository's facts, or returns
// nil without a store.
func newDiscoveryFacts(store Store, repo *source.Repo, files *cache.FileMemo) *discoveryFacts {
	if store == nil {
		return nil
	}
	// Facts depend on the parse limits too: a file over them is refused.
	salt := cache.Stamp() + "\x00" + strconv.FormatInt(repo.MaxFileSize, 10) + "\x00" + strconv.Itoa(repo.MaxDocuments)
	b := cache.Bucket{Store: store, Name: "discovery-v1", Salt: salt}
	d := &discoveryFacts{bucket: b, key: b.Key(repo.Root), repo: repo, files: files, next: map[string][]byte{}}
	if !b.Load(d.key, &d.last) {
		d.last = nil
	}
	return d
}

// Facts returns the facts kept for the file's bytes, or reads them.
func (d *discoveryFacts) Facts(rel string, read func() flux.FileFacts) flux.FileFacts {
	sum, sealPart := d.files.Hashes(d.repo.Abs(rel))
	if sum == "" {
		return read()
	}
	lookup := cache.Key("discovery facts", sum)
	seal := cache.SealKey("discovery facts", sealPart)
	d.mu.Lock()
	sealed, ok := d.last[lookup]
	d.mu.Unlock()
	var facts flux.FileFacts
	if ok {
		if plain, err := diskcache.Open(seal, sealed); err == nil && json.Unmarshal(plain, &facts) == nil {
			d.use(lookup, sealed)
			return facts
		}
	}
	facts = read()
	if plain, err := json.Marshal(facts); err == nil {
		if sealed, err := diskcache.Seal(seal, plain); err == nil {
			d.use(lookup, sealed)
		}
	}
	return facts
}

// use notes an entry for the record.
func (d *discoveryFacts) use(lookup string, sealed []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.next[lookup] = sealed
}

// save writes the record when this run used other entries than the last
// one kept.
func (d *discoveryFacts) save() {
	if d == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if !maps.EqualFunc(d.last, d.next, bytes.Equal) {
		d.bucket.Keep(d.key, d.next)
	}
}
