package cache_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/diskcache"
)

type record struct {
	Read  []string
	Value string
}

func TestBucketKeepsAndLoads(t *testing.T) {
	store := &diskcache.Store{Dir: t.TempDir()}
	b := cache.Bucket{Store: store, Name: "test-v1", Salt: "build 1"}
	key := b.Key("clusters/prod", "manifest")
	if (cache.Bucket{Store: store, Name: "test-v1", Salt: "build 2"}).Key("clusters/prod", "manifest") == key {
		t.Error("the key does not depend on the salt")
	}
	var got record
	if b.Load(key, &got) {
		t.Fatal("a record before any was kept")
	}
	b.Keep(key, record{Read: []string{"a.yaml"}, Value: "v"})
	if !b.Load(key, &got) || got.Value != "v" || len(got.Read) != 1 {
		t.Errorf("loaded %+v, want the kept record", got)
	}
	var none cache.Bucket
	none.Keep(key, record{})
	if none.Load(key, &got) {
		t.Error("a bucket without a store found a record")
	}
}

func TestSealNeedsTheSameInputs(t *testing.T) {
	sealed, err := cache.Seal(cache.SealKey("file hash", "password=hunter2"), record{Value: "hunter2"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sealed), "hunter2") {
		t.Error("the sealed record holds the value in plain text")
	}
	var got record
	if cache.Open(cache.SealKey("file hash", "password=changed"), sealed, &got) {
		t.Error("opened with the key of other inputs")
	}
	if !cache.Open(cache.SealKey("file hash", "password=hunter2"), sealed, &got) || got.Value != "hunter2" {
		t.Errorf("opened %+v, want the record", got)
	}
}

func TestStatsCountServedLookups(t *testing.T) {
	store, stats := cache.Counting(&diskcache.Store{Dir: t.TempDir()})
	b := cache.Bucket{Store: store, Name: "test-v1"}
	var got record
	b.Load("k1", &got) // miss
	b.Keep("k1", record{})
	b.Load("k1", &got)     // served
	b.Load("k1", &got)     // served
	b.Keep("k1", record{}) // written again: the lookups before did not stand
	b.Load("k1", &got)     // served
	if s := stats.String(); s != "test-v1 1/4 reused" {
		t.Errorf("stats %q, want test-v1 1/4 reused", s)
	}
}

func TestFileHashes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.yaml")
	if err := os.WriteFile(p, []byte("kind: ConfigMap\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sum, part := cache.FileHashes(p)
	if sum == "" || part == "" || sum == part || sum != cache.FileSum(p) {
		t.Errorf("hashes %q %q, FileSum %q: want two different hashes, the first the file's sum", sum, part, cache.FileSum(p))
	}
	if s, k := cache.FileHashes(p + ".missing"); s != "" || k != "" || cache.FileSum(p+".missing") != "" {
		t.Error("a missing file has hashes")
	}
}
