package check

import (
	"context"
	"fmt"
	"sync"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/policy"
	"github.com/fluxlint/fluxlint/internal/schema"
	"github.com/fluxlint/fluxlint/internal/xref"
)

// Each stage's checker is one of the pipeline's Checkers.
var (
	_ Checker = (*schema.Checker)(nil)
	_ Checker = (*xref.Checker)(nil)
	_ Checker = (*policy.Engine)(nil)
)

// newCheckers returns the checkers, in the order they run: schemas,
// references, policies, then those of deps. The schema checker keeps its
// results in schemaResults between runs.
func newCheckers(ctx context.Context, cfg Config, deps Deps, schemaResults cache.Bucket) ([]Checker, error) {
	seed := deps.Validator
	if seed == nil {
		var err error
		if seed, err = NewValidator(cfg); err != nil {
			return nil, err
		}
	}
	crds, err := schema.LoadCRDs(cfg.CRDs)
	if err != nil {
		return nil, err
	}
	policies, err := policy.New(ctx, cfg.policyOptions())
	if err != nil {
		return nil, err
	}
	schemas := schema.NewChecker(cfg.schemaOptions(), seed, crds)
	schemas.KeepResultsIn(schemaResults)
	checkers := []Checker{
		schemas,
		xref.New(xref.Options{External: cfg.ExternalObjects}),
		policies,
	}
	return append(checkers, deps.Checkers...), nil
}

// checks runs the checkers on clusters in a goroutine of its own, one
// cluster after the other in the order they are added, so that checking
// one cluster overlaps rendering the next and the output does not depend
// on timing.
type checks struct {
	queue chan *model.Cluster
	done  chan []finding.Finding
}

// startChecks starts the goroutine that checks the clusters added. With
// a releaser, each cluster's objects are released once it is checked, and
// at most two rendered clusters wait for their checks, so that rendering
// does not run far ahead of checking and hold many clusters at once.
func startChecks(ctx context.Context, checkers *lazyCheckers, cache *Cache, rel *releaser) *checks {
	waiting := 1024
	if rel != nil {
		waiting = 2
	}
	c := &checks{queue: make(chan *model.Cluster, waiting), done: make(chan []finding.Finding, 1)}
	go func() {
		var found []finding.Finding
		for cl := range c.queue {
			restore := func() {}
			if rel != nil {
				restore = paceGC(cl, rel.gc)
			}
			found = append(found, checkCluster(ctx, cl, checkers, cache)...)
			if rel != nil {
				rel.release(cl)
			}
			restore()
		}
		c.done <- found
	}()
	return c
}

// add queues a rendered cluster for checking.
func (c *checks) add(cl *model.Cluster) { c.queue <- cl }

// wait returns the findings of every cluster added, in cluster order, once
// all are checked.
func (c *checks) wait() []finding.Finding {
	close(c.queue)
	return <-c.done
}

// checkCluster returns the findings of one cluster, before
// post-processing: those of its render and of each checker, or those the
// cache kept for it.
func checkCluster(ctx context.Context, c *model.Cluster, lazy *lazyCheckers, cache *Cache) []finding.Finding {
	if fs, ok := cache.findings(c); ok {
		return fs
	}
	checkers, err := lazy.get()
	if err != nil {
		return nil // Run returns the error
	}
	var fs []finding.Finding
	for _, f := range c.Findings {
		if f.Cluster == "" {
			f.Cluster = c.Name
		}
		fs = append(fs, f)
	}
	// The checkers only read the cluster, so they run side by side: a
	// run of one cluster (an editor's save, a one-change run) waits for
	// the slowest instead of their sum. Their findings keep the checkers'
	// order.
	found := make([][]finding.Finding, len(checkers))
	crashed := make([]bool, len(checkers))
	var wg sync.WaitGroup
	for i, chk := range checkers {
		wg.Go(func() { found[i], crashed[i] = checkSafely(ctx, chk, c) })
	}
	wg.Wait()
	incomplete := false
	for i, chk := range checkers {
		fs = append(fs, found[i]...)
		if ic, ok := chk.(incompleteChecker); crashed[i] || ok && ic.Incomplete() {
			incomplete = true
		}
	}
	if ctx.Err() == nil && !incomplete {
		cache.store(c, fs)
	}
	return fs
}

// checkSafely runs one checker on a cluster and turns a crash into an
// internal-error finding, so that one checker's failure never hides the
// others' findings.
func checkSafely(ctx context.Context, chk Checker, c *model.Cluster) (fs []finding.Finding, crashed bool) {
	defer func() {
		if r := recover(); r != nil {
			fs, crashed = []finding.Finding{{
				RuleID: RuleInternal, Severity: finding.Error, Cluster: c.Name, Pos: finding.Pos{File: c.Path},
				Message: fmt.Sprintf("fluxlint crashed while checking this cluster (please report it): %v", r),
			}}, true
		}
	}()
	return chk.Check(ctx, c), false
}

// An incompleteChecker can tell that it skipped work (the policies used up
// their budget): its findings depend on timing, so neither the in-memory
// cache nor the result cache keeps them.
type incompleteChecker interface {
	Incomplete() bool
}

// lazyCheckers makes the checkers when a cluster first needs them: loading
// the schemas and compiling the policies is most of a run whose clusters
// all come from the result cache, which needs neither.
type lazyCheckers struct {
	build    func() ([]Checker, error)
	once     sync.Once
	started  sync.Once
	checkers []Checker
	err      error
}

// get returns the checkers, made on the first call.
func (l *lazyCheckers) get() ([]Checker, error) {
	l.once.Do(func() { l.checkers, l.err = l.build() })
	return l.checkers, l.err
}

// prepare starts making the checkers in the background, once a cluster is
// known to need them, so that they are made while it renders instead of
// after.
func (l *lazyCheckers) prepare() {
	if l == nil {
		return
	}
	l.started.Do(func() { go func() { _, _ = l.get() }() })
}

// settle returns the error of making the checkers, making them first
// unless every cluster came from the result cache: a cluster is kept there
// only after a run with the same configuration made them without error, so
// a setting that cannot work (a CRD file or a policy folder that cannot be
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
