package schema

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// A resultMemo keeps the findings of each object a Checker validated with
// one Validator, so that the next run of the same process (the language
// server) validates again only the objects it has not seen: renders kept
// in memory (render.Memo) give the very same objects when nothing they
// read changed. An object's findings stand while its cluster's context is
// unchanged: the same CRDs (the same objects), the same Flux Operator
// setting and the same installed releases. Objects of a kind without a
// schema are not kept (that finding is made once per run).
type resultMemo struct {
	mu       sync.Mutex
	clusters map[string]*memoRound
}

// A memoRound is what one check of a cluster kept: its context and the
// findings of its objects. Each check replaces the last, so the memo holds
// the objects of the latest renders only.
type memoRound struct {
	context string
	objects map[*model.Object][]finding.Finding
}

// KeepResults makes the Checkers that validate with v keep each object's
// findings for the next run, as the language server does; a run of
// fluxlint check gains nothing from it. Call it before the first run.
func (v *Validator) KeepResults() {
	v.results = &resultMemo{clusters: map[string]*memoRound{}}
}

// round returns the findings kept for a cluster's objects in its context,
// or an empty round.
func (m *resultMemo) round(cluster, context string) *memoRound {
	if m == nil {
		return &memoRound{}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if r := m.clusters[cluster]; r != nil && r.context == context {
		return r
	}
	return &memoRound{context: context}
}

// keep replaces what is kept for a cluster.
func (m *resultMemo) keep(cluster string, r *memoRound) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.clusters[cluster] = r
}

// memoContext describes what an object's findings depend on besides the
// object: the CRDs validated against, the Flux Operator setting, the
// releases the cluster installs and the Flux CRDs its FluxInstance
// deletes.
func memoContext(crds []*model.Object, installed map[string]installedRelease, opts ValidateOptions) string {
	var b strings.Builder
	for _, o := range crds {
		fmt.Fprintf(&b, "%p,", o)
	}
	fmt.Fprintf(&b, "|%t|", opts.FluxOperator)
	for _, project := range slices.Sorted(maps.Keys(installed)) {
		fmt.Fprintf(&b, "%s=%s,", project, installed[project])
	}
	fmt.Fprintf(&b, "|%s", strings.Join(opts.contextParts(), ","))
	return b.String()
}
