package policy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// Check evaluates every policy on every object of the cluster (or once on
// the whole cluster with Combine). Problems loading the policies are
// reported with the first cluster checked.
//
// All evaluations of the engine share one budget of time and memory; once
// it is used up, the evaluations left are skipped and one RuleBudget
// finding, at the cluster where it ran out, says so.
func (e *Engine) Check(ctx context.Context, c *model.Cluster) (out []finding.Finding) {
	if !e.reported.Swap(true) {
		out = append(out, e.loadErrs...)
	}
	defer e.budget.watch()()
	budgetBase := finding.Finding{Cluster: c.Name, Pos: finding.Pos{File: c.Path}}
	defer func() { out = append(out, e.budget.finding(budgetBase)...) }()
	if !e.combined.empty() {
		out = append(out, e.checkCombined(ctx, c)...)
	}
	if e.perObject.empty() || e.budget.exceeded() != "" {
		return out
	}
	results := make([][]finding.Finding, len(c.Objects))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range min(e.workers, len(c.Objects)) {
		wg.Go(func() {
			for i := range jobs {
				results[i] = e.checkObject(ctx, c, c.Objects[i])
			}
		})
	}
feed:
	for i := range c.Objects {
		if e.budget.exceeded() != "" {
			break
		}
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	for _, r := range results {
		out = append(out, r...)
	}
	return out
}

// checkObject evaluates every policy with one object as input.
func (e *Engine) checkObject(ctx context.Context, c *model.Cluster, o *model.Object) []finding.Finding {
	if !e.perObject.applies(o.Ref.Kind) {
		return nil
	}
	base := finding.Finding{Object: o.Ref, Cluster: c.Name, Chain: o.Chain, Pos: o.Origin}
	input, err := ast.InterfaceToValue(o.Content)
	if err != nil {
		f := base
		f.RuleID, f.Severity, f.Message = RuleError, finding.Error, "policy input: "+err.Error()
		return []finding.Finding{f}
	}
	var out []finding.Finding
	for _, r := range e.perObject.eval(ctx, e, o.Ref.Kind, input) {
		if errors.Is(r.err, errBudget) {
			continue // reported once, by Check
		}
		if r.err != nil {
			out = append(out, r.q.errorFinding(base, r.err))
			continue
		}
		for _, v := range r.values {
			out = append(out, r.q.finding(base, v, o.PosOf))
		}
	}
	return out
}

// checkCombined evaluates every policy once with the whole cluster as
// input. A result can name its object with object: {kind, namespace, name}.
func (e *Engine) checkCombined(ctx context.Context, c *model.Cluster) []finding.Finding {
	docs := make([]any, len(c.Objects))
	byRef := map[finding.ObjectRef]*model.Object{}
	for i, o := range c.Objects {
		docs[i] = map[string]any{"path": o.Origin.File, "contents": o.Content}
		byRef[finding.ObjectRef{Kind: o.Ref.Kind, Namespace: o.Ref.Namespace, Name: o.Ref.Name}] = o
	}
	base := finding.Finding{Cluster: c.Name, Pos: finding.Pos{File: c.Path}}
	input, err := ast.InterfaceToValue(docs)
	if err != nil {
		f := base
		f.RuleID, f.Severity, f.Message = RuleError, finding.Error, "policy input: "+err.Error()
		return []finding.Finding{f}
	}
	var out []finding.Finding
	for _, r := range e.combined.eval(ctx, e, "", input) {
		q := r.q
		if errors.Is(r.err, errBudget) {
			continue // reported once, by Check
		}
		if r.err != nil {
			out = append(out, q.errorFinding(base, r.err))
			continue
		}
		for _, v := range r.values {
			f, pos := base, func([]string) finding.Pos { return base.Pos }
			if o := byRef[objectOf(v)]; o != nil {
				f.Object, f.Chain, f.Pos = o.Ref, o.Chain, o.Origin
				pos = o.PosOf
			}
			out = append(out, q.finding(f, v, pos))
		}
	}
	return out
}

// Incomplete reports whether the budget stopped or skipped evaluations:
// findings of such a run depend on timing and must not be kept in a cache.
func (e *Engine) Incomplete() bool { return e.budget.exceeded() != "" }

// objectOf reads the object a combined result names.
func objectOf(v any) finding.ObjectRef {
	m, _ := v.(map[string]any)
	obj, _ := m["object"].(map[string]any)
	str := func(k string) string { s, _ := obj[k].(string); return s }
	return finding.ObjectRef{Kind: str("kind"), Namespace: str("namespace"), Name: str("name")}
}

// eval runs one query under the time limit and the budget, and returns its results: the
// members of a set or array, or a single value.
func (e *Engine) eval(ctx context.Context, q *query, input ast.Value) ([]any, error) {
	ctx, done, err := e.budget.evalContext(ctx, e.timeout)
	if err != nil {
		return nil, err
	}
	rs, err := q.prepared.Eval(ctx, rego.EvalParsedInput(input))
	if byBudget := done(); byBudget {
		return nil, errBudget
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("evaluation stopped after %s: %w", e.timeout, ctx.Err())
		}
		return nil, err
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil, nil
	}
	return members(rs[0].Expressions[0].Value), nil
}

// members returns the results in a rule's value: the members of a set or
// array, nothing for false, else the value itself.
func members(value any) []any {
	switch v := value.(type) {
	case nil:
		return nil
	case []any:
		return v
	case bool:
		if v {
			return []any{true}
		}
		return nil
	default:
		return []any{v}
	}
}

// errorFinding reports a policy that failed on an input.
func (q *query) errorFinding(base finding.Finding, err error) finding.Finding {
	f := base
	f.RuleID, f.Severity = RuleError, finding.Error
	f.Message = fmt.Sprintf("policy %s.%s: %v", q.pkg, q.rule, err)
	return f
}

// finding turns one result of a rule into a finding: a string is the
// message; an object has msg and may name a field with path (a list, or a
// dotted string).
func (q *query) finding(base finding.Finding, v any, posOf func([]string) finding.Pos) finding.Finding {
	f := base
	f.RuleID, f.Severity = q.meta.ID, q.meta.Severity
	switch r := v.(type) {
	case string:
		f.Message = r
	case map[string]any:
		msg, ok := r["msg"].(string)
		if !ok {
			f.RuleID, f.Severity = RuleError, finding.Error
			f.Message = fmt.Sprintf("policy %s.%s: a result object has no msg string", q.pkg, q.rule)
			return f
		}
		f.Message = msg
		if path := fieldPath(r["path"]); path != nil {
			f.Pos = posOf(path)
		}
	default:
		f.Message = q.meta.Title
		if f.Message == "" {
			f.Message = fmt.Sprintf("%s.%s", q.pkg, q.rule)
		}
	}
	return f
}

// fieldPath reads a result's path: a list of keys and indices, or a dotted
// string.
func fieldPath(v any) []string {
	switch p := v.(type) {
	case string:
		if p == "" {
			return nil
		}
		return strings.Split(p, ".")
	case []any:
		out := make([]string, 0, len(p))
		for _, seg := range p {
			switch s := seg.(type) {
			case string:
				out = append(out, s)
			case json.Number:
				out = append(out, s.String())
			case float64:
				out = append(out, strconv.FormatFloat(s, 'f', -1, 64))
			default:
				out = append(out, fmt.Sprint(s))
			}
		}
		return out
	}
	return nil
}
