package policy

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
)

// A ruleSet is a set of rules prepared for evaluation. Partial set rules
// (deny contains msg if ...), whose value is always defined, are evaluated
// together in one query that binds each (r0 = data.p.deny; r1 = ...): one
// evaluation costs much less than one a rule. A rule whose METADATA names
// the kinds it checks (custom.kinds) is left out of the batches of other
// kinds, so objects that no rule is about cost nothing.
type ruleSet struct {
	// batches are keyed by kind; "" holds the rules of every kind.
	batches map[string]*batch
	// single are the other rules, evaluated one by one.
	single []*query
}

// A batch is one prepared query over several partial set rules.
type batch struct {
	prepared rego.PreparedEvalQuery
	queries  []*query
}

func newRuleSet(ctx context.Context, c *ast.Compiler, store storage.Store, queries []*query, byKind bool) (*ruleSet, error) {
	rs := &ruleSet{batches: map[string]*batch{}}
	kinds := map[string]bool{"": true}
	for _, q := range queries {
		if !q.multi {
			rs.single = append(rs.single, q)
			continue
		}
		for _, k := range q.meta.Kinds {
			kinds[k] = byKind
		}
	}
	for _, kind := range slices.Sorted(maps.Keys(kinds)) {
		if !kinds[kind] {
			continue
		}
		var in []*query
		for _, q := range queries {
			if q.multi && (!byKind || q.appliesTo(kind)) {
				in = append(in, q)
			}
		}
		if len(in) == 0 {
			continue
		}
		body := make([]string, len(in))
		for i, q := range in {
			body[i] = fmt.Sprintf("r%d = %s", i, q.ref)
		}
		pq, err := rego.New(
			rego.Compiler(c), rego.Store(store), rego.Query(strings.Join(body, "; ")),
			rego.EnablePrintStatements(false),
		).PrepareForEval(ctx)
		if err != nil {
			return nil, fmt.Errorf("prepare policies: %w", err)
		}
		rs.batches[kind] = &batch{prepared: pq, queries: in}
	}
	return rs, nil
}

// appliesTo reports whether a rule checks objects of a kind; "" stands for
// a kind that no rule names.
func (q *query) appliesTo(kind string) bool {
	return len(q.meta.Kinds) == 0 || kind != "" && slices.Contains(q.meta.Kinds, kind)
}

// applies reports whether any rule of the set checks objects of a kind.
func (rs *ruleSet) applies(kind string) bool {
	if rs.batches[kind] != nil || rs.batches[""] != nil {
		return true
	}
	for _, q := range rs.single {
		if q.appliesTo(kind) {
			return true
		}
	}
	return false
}

func (rs *ruleSet) empty() bool { return rs == nil || len(rs.batches) == 0 && len(rs.single) == 0 }

// An outcome is what one rule gave for one input.
type outcome struct {
	q      *query
	values []any
	err    error
}

// eval evaluates the rules that apply to kind on one input. When a batch
// fails, its rules are evaluated one by one to tell which fails.
func (rs *ruleSet) eval(ctx context.Context, e *Engine, kind string, input ast.Value) []outcome {
	var out []outcome
	b := rs.batches[kind]
	if b == nil {
		b = rs.batches[""]
	}
	if b != nil {
		values, err := e.evalBatch(ctx, b, input)
		for i, q := range b.queries {
			if errors.Is(err, errBudget) {
				// One by one would only spend more of it.
				out = append(out, outcome{q: q, err: err})
				continue
			}
			if err != nil {
				v, qerr := e.eval(ctx, q, input)
				out = append(out, outcome{q: q, values: v, err: qerr})
				continue
			}
			out = append(out, outcome{q: q, values: values[i]})
		}
	}
	for _, q := range rs.single {
		if q.appliesTo(kind) {
			v, err := e.eval(ctx, q, input)
			out = append(out, outcome{q: q, values: v, err: err})
		}
	}
	return out
}

// evalBatch runs a batch under the time limit and the budget, and returns each rule's
// results.
func (e *Engine) evalBatch(ctx context.Context, b *batch, input ast.Value) ([][]any, error) {
	ctx, done, err := e.budget.evalContext(ctx, e.timeout)
	if err != nil {
		return nil, err
	}
	rs, err := b.prepared.Eval(ctx, rego.EvalParsedInput(input))
	if byBudget := done(); byBudget {
		return nil, errBudget
	}
	if err != nil {
		return nil, err
	}
	out := make([][]any, len(b.queries))
	if len(rs) == 0 {
		return out, nil
	}
	for i := range b.queries {
		out[i] = members(rs[0].Bindings["r"+strconv.Itoa(i)])
	}
	return out, nil
}
