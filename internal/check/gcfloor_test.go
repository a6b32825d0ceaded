package check

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/fluxlint/fluxlint/internal/diskcache"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
)

func TestFloorPercent(t *testing.T) {
	const mb = 1 << 20
	for _, tc := range []struct {
		live    uint64
		base    int
		ceiling int
		want    int
	}{
		{live: 0, base: 100, ceiling: maxFloorPercent, want: 1500},       // before the first collection: 4 MB × 16 = 64 MB
		{live: 2 * mb, base: 100, ceiling: maxFloorPercent, want: 1500},  // below Go's minimum heap, as at 4 MB
		{live: 16 * mb, base: 100, ceiling: maxFloorPercent, want: 300},  // 16 MB × 4 = 64 MB
		{live: 24 * mb, base: 100, ceiling: maxFloorPercent, want: 166},  // 24 MB × 2.66 = 64 MB
		{live: 32 * mb, base: 100, ceiling: maxFloorPercent, want: 100},  // twice the live heap reaches the floor
		{live: 500 * mb, base: 100, ceiling: maxFloorPercent, want: 100}, // a big heap paces as Go does
		{live: 500 * mb, base: 50, ceiling: maxFloorPercent, want: 50},   // and as paceGC asks during a big check
		{live: 16 * mb, base: 50, ceiling: maxFloorPercent, want: 300},
		// A filled cache folder's run: five times the live heap, up to the floor.
		{live: 0, base: 100, ceiling: filledFloorPercent, want: 400},
		{live: 8 * mb, base: 100, ceiling: filledFloorPercent, want: 400},
		{live: 16 * mb, base: 100, ceiling: filledFloorPercent, want: 300},
		{live: 24 * mb, base: 100, ceiling: filledFloorPercent, want: 166},
		{live: 32 * mb, base: 100, ceiling: filledFloorPercent, want: 100},
		{live: 500 * mb, base: 50, ceiling: filledFloorPercent, want: 50},
	} {
		if got := floorPercent(64*mb, tc.live, tc.base, tc.ceiling); got != tc.want {
			t.Errorf("floorPercent(64 MB, %d MB, %d, %d) = %d, want %d", tc.live/mb, tc.base, tc.ceiling, got, tc.want)
		}
	}
}

func TestGCFloor(t *testing.T) {
	prev := debug.SetGCPercent(defaultGCPercent)
	defer debug.SetGCPercent(prev)
	runtime.GC() // what earlier tests left live is not counted

	g := startGCFloor(64<<20, maxFloorPercent)
	if g == nil {
		t.Fatal("no floor at Go's default pace")
	}
	if got := debug.SetGCPercent(-1); got <= defaultGCPercent {
		t.Errorf("a small heap's GOGC is %d, want above %d", got, defaultGCPercent)
	}
	g.apply()
	// A second run of the process leaves the pace to the first.
	if inner := startGCFloor(64<<20, maxFloorPercent); inner != nil {
		inner.stop()
		t.Error("a second floor started while the first tunes the pace")
	}
	// The pace follows the live heap after each collection: a live heap
	// above the floor brings the base pace back.
	big := make([]byte, 80<<20)
	for deadline := time.Now().Add(10 * time.Second); ; {
		runtime.GC()
		g.mu.Lock()
		live := g.live
		g.mu.Unlock()
		if live >= 64<<20 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := debug.SetGCPercent(-1); got != defaultGCPercent {
		t.Errorf("with %d MB live GOGC is %d, want %d", len(big)>>20, got, defaultGCPercent)
	}
	g.apply()
	restore := paceGC(&model.Cluster{Objects: make([]*model.Object, bigCluster)}, g)
	if got := debug.SetGCPercent(-1); got != checkGCPercent {
		t.Errorf("a big cluster's check under a floor runs with GOGC %d, want %d", got, checkGCPercent)
	}
	g.apply()
	restore()
	runtime.KeepAlive(big)
	g.stop()
	if got := debug.SetGCPercent(defaultGCPercent); got != defaultGCPercent {
		t.Errorf("after the run GOGC is %d, want %d", got, defaultGCPercent)
	}
}

// TestFilledStore checks that only a cache folder holding plans counts as
// filled: an empty one, a store of another kind and none do not.
func TestFilledStore(t *testing.T) {
	disk := &diskcache.Store{Dir: t.TempDir()}
	if filled(disk) || filled(nil) || filled(newMemStore()) {
		t.Fatal("an empty cache folder, no store or a memory store counts as filled")
	}
	if err := disk.Put("other", diskcache.Key("k"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	if filled(disk) {
		t.Fatal("a cache folder without plans counts as filled")
	}
	if err := disk.Put(render.PlanBucket, diskcache.Key("k"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	if !filled(disk) {
		t.Fatal("a cache folder with plans does not count as filled")
	}
}

// TestRunFloorFollowsCache checks the heap floor a releasing run keeps: a
// goal of the whole floor from the start with an empty cache folder, one
// that grows with the live heap when the folder is filled, and none for
// a run that is not releasing.
func TestRunFloorFollowsCache(t *testing.T) {
	prev := debug.SetGCPercent(defaultGCPercent)
	defer debug.SetGCPercent(prev)
	disk := &diskcache.Store{Dir: t.TempDir()}
	ceiling := func(cfg Config) int {
		t.Helper()
		r, err := newRun(cfg, Deps{Store: disk})
		if err != nil {
			t.Fatal(err)
		}
		defer r.gc.stop()
		if r.gc == nil {
			return 0
		}
		return r.gc.ceiling
	}
	cfg := Config{Path: t.TempDir(), Release: true}
	if got := ceiling(cfg); got != maxFloorPercent {
		t.Errorf("an empty cache folder's run: ceiling %d, want %d", got, maxFloorPercent)
	}
	if err := disk.Put(render.PlanBucket, diskcache.Key("k"), []byte("v")); err != nil {
		t.Fatal(err)
	}
	if got := ceiling(cfg); got != filledFloorPercent {
		t.Errorf("a filled cache folder's run: ceiling %d, want %d", got, filledFloorPercent)
	}
	cfg.Release = false
	if got := ceiling(cfg); got != 0 {
		t.Errorf("a run that keeps its clusters has a floor of ceiling %d", got)
	}
}
