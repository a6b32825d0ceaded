package check

import (
	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/model"
)

// A lightRecord is what the cache keeps of one light render (findLight):
// what --shard needs to find the run's clusters and weigh them, and the
// inputs that make it stand. Like a clusterRecord, it stands while the
// repository's list of files and the content of every file the render
// read are unchanged, under the same configuration and fluxlint build.
type lightRecord struct {
	Listing   string
	Inputs    map[string]string
	FilesRead []string
	// Objects and HelmReleases are the counts of the light render.
	Objects, HelmReleases int
}

// lightBucket names the records of light renders in the store.
const lightBucket = "light-v1"

// loadLight returns the light render of an entry from the cache, as
// findLight makes it (its objects released, the files it read and their
// counts kept), when its record still stands.
func (rc *resultCache) loadLight(e flux.Entry) (*model.Cluster, bool) {
	if rc == nil {
		return nil, false
	}
	var rec lightRecord
	b := cache.Bucket{Store: rc.bucket.Store, Name: lightBucket}
	if !b.Load(rc.lightKey(e), &rec) || rec.Listing != rc.listing {
		return nil, false
	}
	for path, sum := range rec.Inputs {
		if rc.hash(path) != sum {
			return nil, false
		}
	}
	return &model.Cluster{Name: e.Name, Path: e.Path, Via: e.Via, FilesRead: rec.FilesRead,
		Released: &model.Counts{Objects: rec.Objects, HelmReleases: rec.HelmReleases}}, true
}

// saveLight keeps the record of a light render, unless a kustomize build
// failed in it: Flux's generator can fail before the build records the
// files it read (see failedBuild).
func (rc *resultCache) saveLight(e flux.Entry, c *model.Cluster) {
	if rc == nil || failedBuild(c.Findings) {
		return
	}
	rec := lightRecord{Listing: rc.listing, Inputs: map[string]string{}, FilesRead: c.FilesRead,
		Objects: c.NumObjects(), HelmReleases: c.NumHelmReleases()}
	for _, path := range c.FilesRead {
		rec.Inputs[path] = rc.hash(path)
	}
	b := cache.Bucket{Store: rc.bucket.Store, Name: lightBucket}
	b.Keep(rc.lightKey(e), rec)
}

// lightKey is the key of an entry's light render: the entry as the
// results' key names it, and how it was found, which its render follows.
func (rc *resultCache) lightKey(e flux.Entry) string {
	return cache.Bucket{Name: lightBucket}.Key(rc.key(e), e.Via)
}
