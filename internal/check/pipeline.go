package check

import (
	"context"
	"sync"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// checks runs the checkers on clusters in a goroutine of its own, one
// cluster after the other in the order they are added, so that checking
// one cluster overlaps rendering the next and the output does not depend
// on timing.
type checks struct {
	queue chan *model.Cluster
	done  chan [][]finding.Finding
}

// startChecks starts the goroutine that checks the clusters added.
func startChecks(ctx context.Context, checkers *lazyCheckers, cache *Cache) *checks {
	c := &checks{queue: make(chan *model.Cluster, 1024), done: make(chan [][]finding.Finding, 1)}
	go func() {
		var found [][]finding.Finding
		for cl := range c.queue {
			found = append(found, checkCluster(ctx, cl, checkers, cache))
		}
		c.done <- found
	}()
	return c
}

// add queues a rendered cluster for checking.
func (c *checks) add(cl *model.Cluster) { c.queue <- cl }

// wait returns the findings of every cluster added, once all are checked.
func (c *checks) wait() []finding.Finding {
	close(c.queue)
	return mergeFindings(<-c.done)
}

// lazyCheckers makes the checkers when a cluster first needs them: loading
// the schemas and compiling the policies is most of a run whose clusters
// all come from the result cache, which needs neither.
type lazyCheckers struct {
	build    func() ([]Checker, error)
	once     sync.Once
	checkers []Checker
	err      error
}

// get returns the checkers, made on the first call.
func (l *lazyCheckers) get() ([]Checker, error) {
	l.once.Do(func() { l.checkers, l.err = l.build() })
	return l.checkers, l.err
}

// settle returns the error of making the checkers, making them first
// unless every cluster came from the result cache: a cluster is kept there
// only after a run with the same options made them without error, so an
// option that cannot work (a CRD file or a policy folder that cannot be
// read) is still an error when no cluster needed checking.
func (l *lazyCheckers) settle(clusters []*model.Cluster) error {
	restored := len(clusters) > 0
	for _, c := range clusters {
		restored = restored && c.Restored != nil
	}
	if restored {
		return nil
	}
	_, err := l.get()
	return err
}
