package check

import (
	"context"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/flux"
)

// checks runs the checkers on clusters in a goroutine of its own, one
// cluster after the other in the order they are added, so that checking
// one cluster overlaps rendering the next and the output does not depend
// on timing.
type checks struct {
	queue chan *flux.Cluster
	done  chan [][]finding.Finding
}

// startChecks starts the goroutine that checks the clusters added.
func startChecks(ctx context.Context, checkers []Checker, cache *Cache) *checks {
	c := &checks{queue: make(chan *flux.Cluster, 1024), done: make(chan [][]finding.Finding, 1)}
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
func (c *checks) add(cl *flux.Cluster) { c.queue <- cl }

// wait returns the findings of every cluster added, once all are checked.
func (c *checks) wait() []finding.Finding {
	close(c.queue)
	return mergeFindings(<-c.done)
}
