package schema

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/diskcache"
	"github.com/fluxlint/fluxlint/internal/model"
)

// blobs is a cache.Store in memory that counts its writes.
type blobs struct {
	mu     sync.Mutex
	data   map[string][]byte
	writes int
}

func (b *blobs) Get(bucket, key string) ([]byte, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	d, ok := b.data[bucket+"/"+key]
	return d, ok
}

func (b *blobs) Put(bucket, key string, data []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.data[bucket+"/"+key] = data
	b.writes++
	return nil
}

// plant replaces the result the bucket keeps for an object of a cluster
// with one whose violation says "planted", as only a result taken from the
// cache folder can.
func plant(t *testing.T, b cache.Bucket, c *model.Cluster, o *model.Object) {
	t.Helper()
	k, _ := keyOf(o.Content)
	plain, err := json.Marshal(Result{Status: Invalid, Violations: []Violation{{Path: []string{"data"}, Rule: RuleInvalid, Message: "planted"}}})
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := diskcache.Seal(k.seal, plain)
	if err != nil {
		t.Fatal(err)
	}
	plantSealed(t, b, c, o, sealed)
}

// plantSealed replaces the sealed result the bucket keeps for an object.
func plantSealed(t *testing.T, b cache.Bucket, c *model.Cluster, o *model.Object, sealed []byte) {
	t.Helper()
	key := b.Key(c.Name + "\x00" + c.Path)
	// The shape of cache.SealedRound's record, which gob reads by field.
	var rec struct {
		Context string
		Values  map[string][]byte
	}
	if !b.Load(key, &rec) {
		t.Fatal("no record kept for the cluster")
	}
	k, _ := keyOf(o.Content)
	if _, ok := rec.Values[k.lookup]; !ok {
		t.Fatalf("no result kept for %s", o.Ref)
	}
	rec.Values[k.lookup] = sealed
	b.Keep(key, rec)
}

// TestDiskResults shows that a Checker keeping results in the cache folder
// gives the same findings as one that does not, takes an unchanged
// object's result from the folder instead of validating it, and validates
// again an object whose content changed and every object of a cluster
// whose context changed.
func TestDiskResults(t *testing.T) {
	seed, err := NewWithOptions(Options{})
	if err != nil {
		t.Fatal(err)
	}
	store := &blobs{data: map[string][]byte{}}
	bucket := cache.Bucket{Store: store, Name: "schema-test", Salt: "run"}
	run := func(c *model.Cluster) string {
		s := NewChecker(Options{}, seed, nil)
		s.KeepResultsIn(bucket)
		var msgs []string
		for _, f := range s.Check(context.Background(), c) {
			msgs = append(msgs, f.RuleID+":"+f.Message)
		}
		return strings.Join(msgs, "\n")
	}
	alert := testObject(t, "clusters/prod/alert.yaml", operatorAlert)
	config := testObject(t, "clusters/prod/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n")
	c := &model.Cluster{Name: "prod", Path: "clusters/prod", Via: model.ViaBootstrap, Objects: []*model.Object{alert, config}}
	want := ruleSummary(NewChecker(Options{}, seed, nil).Check(context.Background(), c))
	first := run(c)
	if got := ruleSummary(NewChecker(Options{}, seed, nil).Check(context.Background(), c)); got != want || want != "schema-invalid:10" {
		t.Fatalf("without a cache: %q, want schema-invalid:10", got)
	}
	if again := run(c); again != first {
		t.Fatalf("kept results gave\n%s\nwant\n%s", again, first)
	}
	writes := store.writes
	run(c)
	if store.writes != writes {
		t.Errorf("a check that validated nothing wrote its record again (%d writes, want %d)", store.writes, writes)
	}

	plant(t, bucket, c, config)
	if got := run(c); !strings.Contains(got, "planted") {
		t.Fatalf("an unchanged object was validated again:\n%s", got)
	}
	// A damaged result, or one sealed in an older encoding (gob), is no
	// result: the object is validated again.
	k, _ := keyOf(config.Content)
	older, err := cache.Seal(k.seal, Result{Status: Invalid, Violations: []Violation{{Path: []string{"data"}, Rule: RuleInvalid, Message: "planted"}}})
	if err != nil {
		t.Fatal(err)
	}
	for name, sealed := range map[string][]byte{"gob": older, "damaged": append([]byte{1}, older...), "empty": nil} {
		plantSealed(t, bucket, c, config, sealed)
		if got := run(c); got != first {
			t.Errorf("with a %s result kept: %q, want %q", name, got, first)
		}
	}
	plant(t, bucket, c, config)
	c.Operator = true
	if got := run(c); strings.Contains(got, "planted") {
		t.Errorf("another context (Flux Operator) took a kept result:\n%s", got)
	}
	c.Operator = false
	plant(t, bucket, c, config)
	changed := testObject(t, "clusters/prod/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: c\n")
	c.Objects = []*model.Object{alert, changed}
	if got := run(c); strings.Contains(got, "planted") {
		t.Errorf("a changed object took the result of its old content:\n%s", got)
	}
}
