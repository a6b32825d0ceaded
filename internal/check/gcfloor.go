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
// many, for at most floor bytes more.
type gcFloor struct {
	floor uint64

	mu sync.Mutex
	// base is the GOGC the floor never goes below.
	base int
	// live is the live heap after the last collection.
	live    uint64
	stopped bool
}

// heapFloor is the heap goal a releasing run keeps at least.
const heapFloor = 64 << 20

// startGCFloor starts a gcFloor, or returns nil when the collector's pace
// is not Go's default (GOGC set by the user, or another run of the
// process tuning it already). Stop it when the run ends.
func startGCFloor(floor uint64) *gcFloor {
	if prev := debug.SetGCPercent(defaultGCPercent); prev != defaultGCPercent {
		debug.SetGCPercent(prev)
		return nil
	}
	g := &gcFloor{floor: floor, base: defaultGCPercent, live: liveHeap()}
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
	debug.SetGCPercent(floorPercent(g.floor, g.live, g.base))
}

// minHeap is Go's smallest heap goal at GOGC=100: before the first
// collection, and while less is live, the goal is minHeap*GOGC/100.
const minHeap = 4 << 20

// floorPercent returns the GOGC that makes the heap goal after a
// collection that left live bytes at least floor, and never below base.
func floorPercent(floor, live uint64, base int) int {
	live = max(live, minHeap)
	if 2*live >= floor {
		return base
	}
	percent := floor * 100 / live
	if percent > maxFloorPercent {
		percent = maxFloorPercent
	}
	return max(base, int(percent)-100)
}

// maxFloorPercent bounds the GOGC a floor sets, plus 100.
const maxFloorPercent = 100000

// liveHeap returns the heap the last collection found live, in bytes.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}
