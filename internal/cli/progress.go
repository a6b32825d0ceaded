package cli

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/fluxlint/fluxlint/internal/check"
)

// progressDelay is how long a run goes before it shows progress: quick
// runs print nothing.
const progressDelay = time.Second

// A progress shows on a terminal how many clusters a run has rendered, on
// one line of stderr that it rewrites and erases at the end. stdout is
// never touched, so output stays the same bytes with or without it.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	shown bool
}

// newProgress returns a progress on stderr, or nil when stderr is not a
// terminal.
func newProgress(stderr io.Writer) *progress {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &progress{w: stderr, start: time.Now()}
}

// startProgress shows progress on stderr when it is a terminal, unless
// quiet, and returns the function that erases the line.
func startProgress(deps *check.Deps, stderr io.Writer, quiet bool) func() {
	p := newProgress(stderr)
	if p == nil || quiet {
		return func() {}
	}
	deps.Progress = p.update
	return p.done
}

// update is check.Deps.Progress: done of total clusters rendered.
func (p *progress) update(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.start) < progressDelay {
		return
	}
	p.shown = true
	if done < total {
		fmt.Fprintf(p.w, "\r\033[Kfluxlint: rendering clusters: %d of %d", done, total)
		return
	}
	fmt.Fprintf(p.w, "\r\033[Kfluxlint: %d of %d clusters rendered; checking", done, total)
}

// done erases the progress line.
func (p *progress) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}
