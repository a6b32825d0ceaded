package htmlreport

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Sizes of the graph drawing, in pixels.
const (
	nodeWidth  = 190
	nodeHeight = 40
	gapX       = 56
	gapY       = 18
	margin     = 12
	maxLabel   = 24
)

// A Graph is the drawing of a cluster's Flux objects: Kustomizations and
// HelmReleases, laid out in columns so that every edge goes rightwards
// where the graph allows it.
type Graph struct {
	Width, Height int
	Nodes         []Node
	Edges         []Edge
}

// A Node is one Flux object in the graph.
type Node struct {
	Key, ObjectID, Kind, Label, Title string
	// Worst is the worst finding of the object and the objects it produced.
	Worst string
	// Change is how the diff changes the object, or "".
	Change     string
	X, Y, W, H int
	layer      int
}

// An Edge joins two nodes: Kind "produces" from a Flux object to one it
// rendered, "dependsOn" from a dependency to the object that waits for it.
type Edge struct {
	From, To, Kind string
	// Path is the SVG path of the edge.
	Path string
}

// isFluxNode reports whether an object belongs in the graph.
func isFluxNode(o *Object) bool {
	switch o.Ref.Kind {
	case "Kustomization":
		return strings.HasPrefix(o.Ref.APIVersion, "kustomize.toolkit.fluxcd.io/")
	case "HelmRelease":
		return strings.HasPrefix(o.Ref.APIVersion, "helm.toolkit.fluxcd.io/")
	}
	return false
}

// buildGraph collects a cluster's Flux objects and their edges and lays
// them out.
func buildGraph(c *Cluster) Graph {
	var g Graph
	index := map[string]int{}
	for _, o := range c.Objects {
		if !isFluxNode(o) {
			continue
		}
		key := o.Ref.String()
		if _, dup := index[key]; dup {
			continue
		}
		index[key] = len(g.Nodes)
		g.Nodes = append(g.Nodes, Node{Key: key, ObjectID: o.ID, Kind: o.Ref.Kind,
			Label: shorten(o.Ref.Name, maxLabel), Title: o.Ref.String(), Worst: o.Worst, Change: o.Change})
	}
	for _, o := range c.Objects {
		if len(o.Chain) > 0 {
			if i, ok := index[o.Chain[len(o.Chain)-1]]; ok && worse(o.Worst, g.Nodes[i].Worst) {
				g.Nodes[i].Worst = o.Worst
			}
		}
		if !isFluxNode(o) {
			continue
		}
		key := o.Ref.String()
		if len(o.Chain) > 0 {
			g.addEdge(index, o.Chain[len(o.Chain)-1], key, "produces")
		}
		for _, dep := range dependsOn(o) {
			g.addEdge(index, dep, key, "dependsOn")
		}
	}
	g.layout(index)
	return g
}

func (g *Graph) addEdge(index map[string]int, from, to, kind string) {
	if _, ok := index[from]; !ok || from == to {
		return
	}
	for _, e := range g.Edges {
		if e.From == from && e.To == to && e.Kind == kind {
			return
		}
	}
	g.Edges = append(g.Edges, Edge{From: from, To: to, Kind: kind})
}

// dependsOn returns the keys of the objects that a Flux object's
// spec.dependsOn names, in the object's namespace unless one is given.
func dependsOn(o *Object) []string {
	var out []string
	for _, d := range o.dependsOn {
		ns := d.namespace
		if ns == "" {
			ns = o.Ref.Namespace
		}
		out = append(out, o.Ref.Kind+"/"+ns+"/"+d.name)
	}
	return out
}

// layout puts each node in the column after its deepest predecessor
// (edges on a cycle are ignored), orders each column by the mean row of
// the node's predecessors, and draws the edges as curves.
func (g *Graph) layout(index map[string]int) {
	preds := make([][]int, len(g.Nodes))
	for _, e := range g.Edges {
		preds[index[e.To]] = append(preds[index[e.To]], index[e.From])
	}
	state := make([]int, len(g.Nodes)) // 0 new, 1 on the stack, 2 done
	var depth func(i int) int
	depth = func(i int) int {
		if state[i] == 2 {
			return g.Nodes[i].layer
		}
		state[i] = 1
		d := 0
		for _, p := range preds[i] {
			if state[p] == 1 {
				continue // a cycle
			}
			d = max(d, depth(p)+1)
		}
		state[i], g.Nodes[i].layer = 2, d
		return d
	}
	columns := map[int][]int{}
	layers := 0
	for i := range g.Nodes {
		l := depth(i)
		columns[l] = append(columns[l], i)
		layers = max(layers, l+1)
	}
	rows := make([]float64, len(g.Nodes))
	tallest := 0
	for l := range layers {
		col := columns[l]
		bary := make(map[int]float64, len(col))
		for _, i := range col {
			bary[i] = barycenter(preds[i], rows, g.Nodes, l)
		}
		slices.SortStableFunc(col, func(a, b int) int {
			return cmp.Or(cmp.Compare(bary[a], bary[b]), strings.Compare(g.Nodes[a].Kind, g.Nodes[b].Kind),
				strings.Compare(g.Nodes[a].Key, g.Nodes[b].Key))
		})
		for row, i := range col {
			rows[i] = float64(row)
			n := &g.Nodes[i]
			n.X, n.Y = margin+l*(nodeWidth+gapX), margin+row*(nodeHeight+gapY)
			n.W, n.H = nodeWidth, nodeHeight
		}
		tallest = max(tallest, len(col))
	}
	g.Width = max(2*margin+layers*nodeWidth+max(layers-1, 0)*gapX, 2*margin)
	g.Height = 2*margin + tallest*nodeHeight + tallest*gapY + gapY // room for curves below the last row
	for k := range g.Edges {
		e := &g.Edges[k]
		e.Path = curve(g.Nodes[index[e.From]], g.Nodes[index[e.To]])
	}
}

// barycenter is the mean row of a node's predecessors in earlier columns;
// a node without any sorts by name, after those that have some.
func barycenter(preds []int, rows []float64, nodes []Node, layer int) float64 {
	sum, n := 0.0, 0
	for _, p := range preds {
		if nodes[p].layer < layer {
			sum += rows[p]
			n++
		}
	}
	if n == 0 {
		return 1e9
	}
	return sum / float64(n)
}

// curve draws an edge from the right side of a to the left side of b, or,
// when b is not to the right of a, around the bottom.
func curve(a, b Node) string {
	if b.X > a.X {
		x1, y1 := a.X+a.W, a.Y+a.H/2
		x2, y2 := b.X, b.Y+b.H/2
		mid := (x1 + x2) / 2
		return fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x1, y1, mid, y1, mid, y2, x2, y2)
	}
	x1, y1 := a.X+a.W/2, a.Y+a.H
	x2, y2 := b.X+b.W/2, b.Y+b.H
	low := max(y1, y2) + gapY
	return fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x1, y1, x1, low, x2, low, x2, y2)
}

// shorten cuts s to n runes with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
