package check

import (
	"runtime/debug"

	"github.com/fluxlint/fluxlint/internal/model"
)

// Checking a large cluster is when a releasing run (Config.Release) holds
// the most memory: every object of the cluster, plus what the checkers
// build for it. Go's collector lets the heap grow to twice what is live
// (GOGC=100), so the peak is about twice that. While such a cluster is
// checked, the collector runs at checkGCPercent instead: the peak falls by
// a quarter, for more collection during the few seconds of the check only
// (unlike a memory limit, no repository can make it spend more than
// that).
const (
	// bigCluster is the number of objects from which a cluster's check
	// runs with checkGCPercent.
	bigCluster = 4000
	// checkGCPercent is the collector's GOGC during the check of a big
	// cluster.
	checkGCPercent = 50
)

// defaultGCPercent is Go's GOGC when none is set.
const defaultGCPercent = 100

// paceGC sets the collector's pace for the check of c and returns the
// function that restores it. It changes nothing for a small cluster, nor
// when the pace is not Go's default (GOGC set by the user, or another
// run of the process set it already). With the run's heap floor, the
// floor's base pace is set instead.
func paceGC(c *model.Cluster, floor *gcFloor) (restore func()) {
	if len(c.Objects) < bigCluster {
		return func() {}
	}
	if floor != nil {
		prev := floor.setBase(checkGCPercent)
		return func() { floor.setBase(prev) }
	}
	prev := debug.SetGCPercent(checkGCPercent)
	if prev != defaultGCPercent {
		debug.SetGCPercent(prev)
		return func() {}
	}
	return func() { debug.SetGCPercent(prev) }
}
