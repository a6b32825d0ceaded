package check

import (
	"runtime/debug"
	"testing"

	"github.com/fluxlint/fluxlint/internal/model"
)

func TestPaceGC(t *testing.T) {
	prev := debug.SetGCPercent(defaultGCPercent)
	defer debug.SetGCPercent(prev)
	big := &model.Cluster{Objects: make([]*model.Object, bigCluster)}
	small := &model.Cluster{Objects: make([]*model.Object, bigCluster-1)}

	restore := paceGC(small, nil)
	if got := debug.SetGCPercent(defaultGCPercent); got != defaultGCPercent {
		t.Errorf("a small cluster's check set GOGC %d", got)
	}
	restore()

	restore = paceGC(big, nil)
	if got := debug.SetGCPercent(checkGCPercent); got != checkGCPercent {
		t.Errorf("a big cluster's check runs with GOGC %d, want %d", got, checkGCPercent)
	}
	// A second run of the process checking a big cluster at the same time
	// leaves the pace to the first.
	inner := paceGC(big, nil)
	inner()
	if got := debug.SetGCPercent(checkGCPercent); got != checkGCPercent {
		t.Errorf("the inner run restored GOGC %d before the outer one", got)
	}
	restore()
	if got := debug.SetGCPercent(defaultGCPercent); got != defaultGCPercent {
		t.Errorf("after the check GOGC is %d, want %d", got, defaultGCPercent)
	}

	// A GOGC the user set is left alone.
	debug.SetGCPercent(300)
	restore = paceGC(big, nil)
	if got := debug.SetGCPercent(300); got != 300 {
		t.Errorf("GOGC=300 became %d during a big cluster's check", got)
	}
	restore()
	if got := debug.SetGCPercent(defaultGCPercent); got != 300 {
		t.Errorf("GOGC=300 became %d after a big cluster's check", got)
	}
}
