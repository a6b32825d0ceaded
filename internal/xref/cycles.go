package xref

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/model"
)

// checkCycles reports each dependsOn cycle once, with the whole cycle, at
// the dependsOn entry of its first member (in sorted order).
func (r *reporter) checkCycles(objs []*model.Object) {
	nodes := map[string]*model.Object{}
	edges := map[string][]string{}
	for _, o := range objs {
		if !isFluxKind(o) {
			continue
		}
		k := o.Ref.String()
		nodes[k] = o
		for _, d := range listAt(o.Content, "spec", "dependsOn") {
			m := asMap(d)
			edges[k] = append(edges[k], o.Ref.Kind+"/"+orDefault(str(m, "namespace"), o.Ref.Namespace)+"/"+str(m, "name"))
		}
	}
	for _, scc := range stronglyConnected(nodes, edges) {
		r.reportCycle(scc, nodes, edges)
	}
}

func (r *reporter) reportCycle(scc []string, nodes map[string]*model.Object, edges map[string][]string) {
	slices.Sort(scc)
	in := map[string]bool{}
	for _, k := range scc {
		in[k] = true
	}
	// Walk the cycle from its first member, following edges inside it.
	start := scc[0]
	cycle := []string{start}
	seen := map[string]bool{start: true}
	cur := start
	for {
		next := ""
		for _, e := range edges[cur] {
			if in[e] && (e == start || !seen[e]) {
				next = e
				break
			}
		}
		if next == "" || next == start {
			break
		}
		cycle, seen[next], cur = append(cycle, next), true, next
	}
	o := nodes[start]
	idx := slices.Index(edges[start], nextIn(cycle, start))
	names := append(slices.Clone(cycle), start)
	r.report(ref{obj: o, path: []string{"spec", "dependsOn", itoa(max(idx, 0)), "name"}, rule: RuleDependencyCycle},
		fmt.Sprintf("dependsOn forms a cycle: %s; none of them is ever reconciled", strings.Join(names, " → ")),
		"remove one dependsOn of the cycle")
}

// nextIn returns the member after k in a cycle.
func nextIn(cycle []string, k string) string {
	i := slices.Index(cycle, k)
	return cycle[(i+1)%len(cycle)]
}

// stronglyConnected returns the strongly connected components of the graph
// that are cycles (more than one node, or a node that depends on itself),
// with Tarjan's algorithm, in a deterministic order.
func stronglyConnected(nodes map[string]*model.Object, edges map[string][]string) [][]string {
	keys := make([]string, 0, len(nodes))
	for k := range nodes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	t := &tarjan{edges: edges, nodes: nodes, index: map[string]int{}, low: map[string]int{}, on: map[string]bool{}}
	for _, k := range keys {
		if _, ok := t.index[k]; !ok {
			t.visit(k)
		}
	}
	return t.out
}

type tarjan struct {
	edges map[string][]string
	nodes map[string]*model.Object
	index map[string]int
	low   map[string]int
	on    map[string]bool
	stack []string
	next  int
	out   [][]string
}

func (t *tarjan) visit(v string) {
	t.index[v], t.low[v] = t.next, t.next
	t.next++
	t.stack = append(t.stack, v)
	t.on[v] = true
	for _, w := range t.edges[v] {
		if t.nodes[w] == nil {
			continue
		}
		if _, ok := t.index[w]; !ok {
			t.visit(w)
			t.low[v] = min(t.low[v], t.low[w])
		} else if t.on[w] {
			t.low[v] = min(t.low[v], t.index[w])
		}
	}
	if t.low[v] != t.index[v] {
		return
	}
	var scc []string
	for {
		w := t.stack[len(t.stack)-1]
		t.stack = t.stack[:len(t.stack)-1]
		t.on[w] = false
		scc = append(scc, w)
		if w == v {
			break
		}
	}
	if len(scc) > 1 || slices.Contains(t.edges[v], v) {
		t.out = append(t.out, scc)
	}
}
