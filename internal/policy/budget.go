package policy

import (
	"context"
	"errors"
	"fmt"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// RuleBudget reports that the policies used up the run's budget and the
// evaluations left were skipped.
const RuleBudget = "policy-budget-exceeded"

// Defaults of the policy stage's budget. A policy of the repository is
// untrusted code: DefaultTimeout bounds one evaluation, but a run has one
// evaluation per object and rule, so without a budget for the whole stage
// a busy loop over many objects is unbounded. OPA's evaluator has no limit
// on instructions or memory of its own (OPA 1.22: only cancellation), so
// the budget watches the time spent and the heap.
const (
	// DefaultBudget is the evaluation time of all policies on all objects
	// of all clusters of one run.
	DefaultBudget = 60 * time.Second
	// DefaultMaxMemory is the heap (bytes of Go objects, the whole
	// process's) at which evaluation stops while policies run.
	DefaultMaxMemory = 1 << 30
)

// heapSampleEvery is how often the heap is read while policies run.
const heapSampleEvery = 10 * time.Millisecond

// errBudget is the error of an evaluation that the budget stopped or
// skipped; it is reported once per run as RuleBudget, not per evaluation.
var errBudget = errors.New("the policy budget is used up")

// A budget bounds the policy stage of a run: the time all evaluations take
// together, and the heap while they run. Once it is exceeded every
// evaluation still running is cancelled and later ones are skipped; the
// first Check to notice reports it once. Safe for concurrent use.
type budget struct {
	limit     time.Duration
	maxMemory uint64

	spent    atomic.Int64 // nanoseconds of finished evaluations
	reported atomic.Bool

	mu     sync.Mutex
	reason string // why it was exceeded; "" while it holds
	stop   context.Context
	cancel context.CancelFunc

	// watching counts the Checks running, which one heap watcher serves
	// (under mu); closing quit ends it, and done is closed when it ended.
	watching   int
	quit, done chan struct{}
}

func newBudget(ctx context.Context, limit time.Duration, maxMemory int64) *budget {
	if limit <= 0 {
		limit = DefaultBudget
	}
	if maxMemory <= 0 {
		maxMemory = DefaultMaxMemory
	}
	// The budget's cancellation is its own: evaluations also stop with
	// the caller's context, which each one derives from.
	stop, cancel := context.WithCancel(context.WithoutCancel(ctx))
	return &budget{limit: limit, maxMemory: uint64(maxMemory), stop: stop, cancel: cancel}
}

// exceed records why the budget is exceeded, the first time, and cancels
// every evaluation in flight.
func (b *budget) exceed(reason string) {
	b.mu.Lock()
	if b.reason == "" {
		b.reason = reason
	}
	b.mu.Unlock()
	b.cancel()
}

// exceeded returns why the budget is exceeded, or "".
func (b *budget) exceeded() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.reason
}

// remaining returns the evaluation time left; zero or less when none.
func (b *budget) remaining() time.Duration {
	if b.exceeded() != "" {
		return 0
	}
	return b.limit - time.Duration(b.spent.Load())
}

// evalContext returns the context of one evaluation: it ends after the
// evaluation's own timeout or the time left in the budget, whichever is
// shorter, or when the budget is exceeded elsewhere. done records the time
// spent and tells whether the budget stopped the evaluation.
func (b *budget) evalContext(ctx context.Context, timeout time.Duration) (context.Context, func() bool, error) {
	left := b.remaining()
	if left <= 0 {
		b.exceed(fmt.Sprintf("the policies used their time budget of %s", b.limit))
		return nil, nil, errBudget
	}
	byBudget := left < timeout
	ctx, cancel := context.WithTimeout(ctx, min(timeout, left))
	unhook := context.AfterFunc(b.stop, cancel)
	start := time.Now()
	done := func() bool {
		unhook()
		err := ctx.Err()
		cancel()
		// The deadline counts from before start: an evaluation it stopped
		// may have spent a little less than the time left.
		outOfTime := byBudget && errors.Is(err, context.DeadlineExceeded)
		if b.spent.Add(int64(time.Since(start))) >= int64(b.limit) || outOfTime {
			b.exceed(fmt.Sprintf("the policies used their time budget of %s", b.limit))
		}
		return err != nil && (byBudget || b.stop.Err() != nil)
	}
	return ctx, done, nil
}

// watch reads the heap while a Check runs and exceeds the budget when it
// grows over the limit; the returned function ends the watch. Checks that
// overlap share one watcher.
func (b *budget) watch() func() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.watching++
	if b.watching == 1 {
		quit, done := make(chan struct{}), make(chan struct{})
		b.quit, b.done = quit, done
		go func() {
			defer close(done)
			b.sampleHeap(quit)
		}()
	}
	return func() {
		b.mu.Lock()
		b.watching--
		quit, done := b.quit, b.done
		last := b.watching == 0
		b.mu.Unlock()
		if last {
			close(quit)
			<-done
		}
	}
}

// sampleHeap reads the heap until quit is closed or the budget is
// exceeded.
func (b *budget) sampleHeap(quit <-chan struct{}) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	ticker := time.NewTicker(heapSampleEvery)
	defer ticker.Stop()
	for {
		metrics.Read(sample)
		if heap := sample[0].Value.Uint64(); heap > b.maxMemory {
			b.exceed(fmt.Sprintf("the heap reached %d MiB while policies ran, over the limit of %d MiB", heap>>20, b.maxMemory>>20))
			return
		}
		select {
		case <-quit:
			return
		case <-b.stop.Done():
			return
		case <-ticker.C:
		}
	}
}

// finding returns the one finding of an exceeded budget, for the first
// caller only; base places it.
func (b *budget) finding(base finding.Finding) []finding.Finding {
	reason := b.exceeded()
	if reason == "" || b.reported.Swap(true) {
		return nil
	}
	f := base
	f.RuleID, f.Severity = RuleBudget, finding.Error
	f.Message = "policy evaluation stopped: " + reason + "; the evaluations left in this and later clusters were skipped"
	return []finding.Finding{f}
}
