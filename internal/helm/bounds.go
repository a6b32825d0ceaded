package helm

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	texttemplate "text/template"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// Bounds of one release's render, beyond the limits on single values
// (guard.go) and its time limit (Release.Timeout).
const (
	// MaxTemplateFrames is the deepest Go stack, in frames, at which a
	// defined template may be called or tpl may run: some hundreds of
	// nested includes or about 150 nested tpl calls, a few MiB of stack,
	// far from Go's 1 GiB limit whose overflow kills the process. (Each
	// level of tpl also wraps the error of the level below it, so the
	// error of a deep recursion grows with the square of its depth.)
	MaxTemplateFrames = 10_000
	// MaxRenderMemory is how much the heap may grow while one release
	// renders (the heap of the whole process, so renders running at the
	// same time share it).
	MaxRenderMemory = 512 << 20
	// MaxRenderOutput is the largest manifest one release may render.
	MaxRenderOutput = 64 << 20
	// heapCheckEvery is how many loop turns or calls pass between two
	// readings of the heap.
	heapCheckEvery = 256
	// depthCheckEvery is how many calls pass between two readings of the
	// stack's depth, whose cost grows with it: a recursion goes at most
	// this many calls past the limit.
	depthCheckEvery = 32
)

// errStopped is the error of a render that its guard stopped.
var errStopped = errors.New("render stopped")

// A renderGuard holds the state of one render's bound checks: the
// template functions that instrument inserts call it.
type renderGuard struct {
	ctx       context.Context
	heapStart uint64
	maxMemory uint64
	turns     int
	calls     int
	frames    []uintptr
	sample    []metrics.Sample
}

func newRenderGuard(ctx context.Context) *renderGuard {
	g := &renderGuard{ctx: ctx, maxMemory: MaxRenderMemory, frames: make([]uintptr, MaxTemplateFrames+1),
		sample: []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}}
	g.heapStart = g.heap()
	return g
}

func (g *renderGuard) heap() uint64 {
	metrics.Read(g.sample)
	return g.sample[0].Value.Uint64()
}

// funcs returns the template functions that instrument's calls name.
// Templates run on one goroutine, so the guard needs no lock.
func (g *renderGuard) funcs() texttemplate.FuncMap {
	return texttemplate.FuncMap{
		loopFunc: func() (string, error) { return "", g.turn() },
		callFunc: func() (string, error) {
			if err := g.turn(); err != nil {
				return "", err
			}
			return "", g.depth("a defined template calls itself")
		},
		tplFunc: func(src string) (string, error) {
			if err := g.turn(); err != nil {
				return "", err
			}
			if err := g.depth("tpl runs itself"); err != nil {
				return "", err
			}
			return instrument("tpl", src), nil
		},
	}
}

// turn checks the time limit on every call, and the heap's growth every
// heapCheckEvery calls.
func (g *renderGuard) turn() error {
	if err := g.ctx.Err(); err != nil {
		return fmt.Errorf("%w: the time limit passed", errStopped)
	}
	g.turns++
	if g.turns%heapCheckEvery != 0 {
		return nil
	}
	if heap := g.heap(); heap > g.heapStart && heap-g.heapStart > g.maxMemory {
		return fmt.Errorf("%w: the heap grew by %d MiB while it rendered, over the limit of %d MiB", errStopped,
			(heap-g.heapStart)>>20, g.maxMemory>>20)
	}
	return nil
}

// depth refuses a call deeper than MaxTemplateFrames, looking every
// depthCheckEvery calls: why names what nests.
func (g *renderGuard) depth(why string) error {
	g.calls++
	if g.calls%depthCheckEvery != 0 {
		return nil
	}
	if runtime.Callers(0, g.frames) > MaxTemplateFrames {
		return fmt.Errorf("%w: %s deeper than %d stack frames", errStopped, why, MaxTemplateFrames)
	}
	return nil
}

// instrumentedChart returns a copy of a chart and its dependencies whose
// templates are instrumented; the chart itself, which other releases may
// share, is not changed.
func instrumentedChart(c *chart.Chart) *chart.Chart {
	out := *c
	out.Templates = make([]*common.File, len(c.Templates))
	for i, f := range c.Templates {
		copied := *f
		copied.Data = []byte(instrument(f.Name, string(f.Data)))
		out.Templates[i] = &copied
	}
	deps := make([]*chart.Chart, len(c.Dependencies()))
	for i, d := range c.Dependencies() {
		deps[i] = instrumentedChart(d)
	}
	out.SetDependencies(deps...)
	return &out
}
