package check

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// A small run spends much of its CPU in the collector: Go starts with a
// heap goal of 4 MB and doubles it only as the live heap grows, so a run
// that ends with 50 MB live collects half a dozen times on its way there
// (a tenth of a one-change run on buroa-k8s-gitops). A gcFloor keeps the
// heap goal at least floor bytes while the run lasts: after each
// collection it sets GOGC so that the next goal is floor when the live
// heap is small, and to the base pace (Go's default, or paceGC's during a
// big cluster's check) as soon as twice the live heap is above the floor.
// A run whose live heap outgrows the floor therefore paces as before and
// peaks as high as before; a small one collects a few times instead of
// many, for at most floor bytes more. A ceiling on the GOGC it sets makes
// the goal grow towards the floor with the live heap instead of starting
// there (filledFloorPercent).
type gcFloor struct {
	floor uint64
	// ceiling is the highest GOGC the floor sets.
	ceiling int

	mu sync.Mutex
	// base is the GOGC the floor never goes below.
	base int
	// live is the live heap after the last collection.
	live    uint64
	stopped bool
}

// heapFloor is the heap goal a releasing run keeps at least.
const heapFloor = 64 << 20

// startGCFloor starts a gcFloor that sets GOGC at most ceiling, or
// returns nil when the collector's pace is not Go's default (GOGC set by
// the user, or another run of the process tuning it already). Stop it
// when the run ends.
func startGCFloor(floor uint64, ceiling int) *gcFloor {
	if prev := debug.SetGCPercent(defaultGCPercent); prev != defaultGCPercent {
		debug.SetGCPercent(prev)
		return nil
	}
	g := &gcFloor{floor: floor, ceiling: ceiling, base: defaultGCPercent, live: liveHeap()}
	g.apply()
	g.arm()
	return g
}

// arm asks for g.collected after the next collection.
func (g *gcFloor) arm() {
	runtime.AddCleanup(new([64]byte), func(g *gcFloor) { g.collected() }, g)
}

// collected sets the pace from the live heap a collection left, and
// waits for the next one unless g is stopped.
func (g *gcFloor) collected() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.stopped {
		return
	}
	g.live = liveHeap()
	g.applyLocked()
	g.arm()
}

// setBase sets the pace the floor never goes below, and returns the one
// it replaces.
func (g *gcFloor) setBase(percent int) (prev int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	prev, g.base = g.base, percent
	if !g.stopped {
		g.applyLocked()
	}
	return prev
}

// stop ends the tuning and restores Go's default pace.
func (g *gcFloor) stop() {
	if g == nil {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.stopped = true
	debug.SetGCPercent(defaultGCPercent)
}

func (g *gcFloor) apply() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.applyLocked()
}

func (g *gcFloor) applyLocked() {
	debug.SetGCPercent(floorPercent(g.floor, g.live, g.base, g.ceiling))
}

// minHeap is Go's smallest heap goal at GOGC=100: before the first
// collection, and while less is live, the goal is minHeap*GOGC/100.
const minHeap = 4 << 20

// floorPercent returns the GOGC that makes the heap goal after a
// collection that left live bytes at least floor, at most ceiling, and
// never below base.
func floorPercent(floor, live uint64, base, ceiling int) int {
	live = max(live, minHeap)
	if 2*live >= floor {
		return base
	}
	percent := uint64(maxFloorPercent) + 100
	if p := floor * 100 / live; p < percent {
		percent = p
	}
	return max(base, min(ceiling, int(percent)-100))
}

// maxFloorPercent is the ceiling of a run that starts with an empty
// cache: the heap goal is the floor from the first allocation on.
const maxFloorPercent = 100000

// filledFloorPercent is the ceiling of a run whose cache folder is filled.
// Such a run restores most of its renders and allocates little, and the
// fresh memory that a goal of floor bytes from the start has it take costs
// more than the collections it saves (a one-change run of
// buroa-k8s-gitops: 0.45 s of CPU without a floor, 0.54 s with it). A
// heap goal of five times the live heap, up to the floor, takes memory
// only as the run grows and collects a third as often as Go's pace (the
// same run, 12 times in turns: 0.29 s at Go's pace, 0.25 s with a ceiling
// of 200, 0.24 s with 400).
const filledFloorPercent = 400

// liveHeap returns the heap the last collection found live, in bytes.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
