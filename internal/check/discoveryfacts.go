package check

import (
	"strconv"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/source"
)

// discoveryFacts is the flux.FactsMemo of a run with a cache folder: what
// discovery read in each file it parsed (flux.FileFacts), kept between
// runs in one record (a cache.SealedRound), so that a run whose files did
// not change finds its clusters without parsing them. An entry is found
// by its file's hash and sealed under a key from the file's bytes, as the
// render records are.
type discoveryFacts struct {
	bucket cache.Bucket
	key    string
	repo   *source.Repo
	files  *cache.FileMemo
	round  *cache.SealedRound
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
	key := b.Key(repo.Root)
	return &discoveryFacts{bucket: b, key: key, repo: repo, files: files, round: cache.LoadRound(b, key, "")}
}

// Facts returns the facts kept for the file's bytes, or reads them.
func (d *discoveryFacts) Facts(rel string, read func() flux.FileFacts) flux.FileFacts {
	sum, sealPart := d.files.Hashes(d.repo.Abs(rel))
	if sum == "" {
		return read()
	}
	lookup, seal := cache.Key("discovery facts", sum), cache.SealKey("discovery facts", sealPart)
	var facts flux.FileFacts
	if d.round.Get(lookup, seal, &facts) {
		return facts
	}
	facts = read()
	d.round.Put(lookup, seal, facts)
	return facts
}

// save writes the record when this run used other entries than the last
// one kept.
func (d *discoveryFacts) save() {
	if d != nil {
		d.round.Save(d.bucket, d.key, "")
	}
}
