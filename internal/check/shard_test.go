package check

import (
	"fmt"
	"slices"
	"testing"

	"github.com/fluxlint/fluxlint/internal/flux"
)

func TestParseShard(t *testing.T) {
	for in, want := range map[string]Shard{"1/1": {1, 1}, "2/4": {2, 4}, " 4/4 ": {4, 4}} {
		got, err := ParseShard(in)
		if err != nil || got != want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v", in, got, err, want)
		}
		if got.String() != fmt.Sprintf("%d/%d", want.Index, want.Total) {
			t.Errorf("String() = %q", got.String())
		}
	}
	for _, in := range []string{"0/0", "5/4", "0/4", "1/0", "-1/4", "junk", "1/", "/4", "1/4/2", "a/b", ""} {
		if got, err := ParseShard(in); err == nil {
			t.Errorf("ParseShard(%q) = %v, want an error", in, got)
		}
	}
	if (Shard{}).String() != "" {
		t.Error("the zero Shard names no shard")
	}
}

func items(sizes ...int) []shardItem {
	out := make([]shardItem, len(sizes))
	for i, s := range sizes {
		name := fmt.Sprintf("c%02d", i)
		out[i] = shardItem{entry: flux.Entry{Name: name, Path: "clusters/" + name}, size: s}
	}
	return out
}

// loads returns each shard's total size and number of items.
func loads(its []shardItem, assigned []int, total int) (size, count []int) {
	size, count = make([]int, total), make([]int, total)
	for i, s := range assigned {
		size[s] += its[i].size
		count[s]++
	}
	return size, count
}

func TestAssignShardsDeterministic(t *testing.T) {
	its := items(5, 9, 9, 1, 0, 7, 3, 3, 8, 2)
	want := assignShards(its, 3)
	// The same items in another order get the same shards.
	rev := slices.Clone(its)
	slices.Reverse(rev)
	got := assignShards(rev, 3)
	for i := range its {
		if got[len(its)-1-i] != want[i] {
			t.Fatalf("reversed order: %s in shard %d, want %d", its[i].entry.Name, got[len(its)-1-i], want[i])
		}
	}
	if again := assignShards(its, 3); !slices.Equal(again, want) {
		t.Fatalf("second call %v, want %v", again, want)
	}
}

func TestAssignShardsBalanceWithSizes(t *testing.T) {
	// One large cluster and many small ones: the large one gets a shard of
	// its own, the small ones share the rest evenly.
	its := items(100, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10)
	size, _ := loads(its, assignShards(its, 4), 4)
	want := []int{100, 70, 70, 60}
	if !slices.Equal(size, want) {
		t.Errorf("shard sizes %v, want %v", size, want)
	}
	// Every item is in exactly one shard, within range.
	for i, s := range assignShards(its, 4) {
		if s < 0 || s >= 4 {
			t.Errorf("%s in shard %d", its[i].entry.Name, s)
		}
	}
}

func TestAssignShardsWithoutSizes(t *testing.T) {
	// No sizes: round robin by sorted name, so counts differ by one at most.
	its := items(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	got := assignShards(its, 4)
	if want := []int{0, 1, 2, 3, 0, 1, 2, 3, 0, 1}; !slices.Equal(got, want) {
		t.Errorf("shards %v, want %v", got, want)
	}
	// More shards than clusters: some shards are empty, none has two.
	_, count := loads(items(0, 0), assignShards(items(0, 0), 5), 5)
	if !slices.Equal(count, []int{1, 1, 0, 0, 0}) {
		t.Errorf("counts %v", count)
	}
}
