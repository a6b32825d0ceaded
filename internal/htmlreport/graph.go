package htmlreport

import (
	"strings"
)

// A Graph is a cluster's Flux objects (Kustomizations and HelmReleases) and
// the edges between them. The page lays it out in the browser, grouped by
// namespace or by parent Kustomization, because collapsing a group, focusing
// on one object and measuring labels change the layout.
type Graph struct {
	Nodes []Node `json:"nodes"`
	Edges []Edge `json:"edges"`
}

// A Node is one Flux object of the graph.
type Node struct {
	// Key is Kind/namespace/name; ID is the object's panel.
	Key       string `json:"key"`
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Namespace string `json:"ns,omitempty"`
	Name      string `json:"name"`
	// Parent is the Key of the Flux object that rendered this one, or ""
	// for the objects of the cluster's entry folder.
	Parent string `json:"parent,omitempty"`
	// Worst is the worst finding of the object and the objects it
	// produced; Findings counts the object's own findings.
	Worst    string `json:"worst,omitempty"`
	Findings int    `json:"findings,omitempty"`
	// Change is how the diff changes the object, or "".
	Change string `json:"change,omitempty"`
}

// An Edge joins two nodes, by index: Kind "produces" from a Flux object to
// one it rendered, "dependsOn" from a dependency to the object that waits
// for it.
type Edge struct {
	From int    `json:"from"`
	To   int    `json:"to"`
	Kind string `json:"kind"`
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

// buildGraph collects a cluster's Flux objects and their edges.
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
		g.Nodes = append(g.Nodes, Node{Key: key, ID: o.ID, Kind: o.Ref.Kind, Namespace: o.Ref.Namespace,
			Name: o.Ref.Name, Parent: producer(o), Worst: o.Worst, Findings: len(o.Findings), Change: o.Change})
	}
	for _, o := range c.Objects {
		if i, ok := index[producer(o)]; ok && worse(o.Worst, g.Nodes[i].Worst) {
			g.Nodes[i].Worst = o.Worst
		}
		if !isFluxNode(o) {
			continue
		}
		key := o.Ref.String()
		if p := producer(o); p != "" {
			g.addEdge(index, p, key, "produces")
		}
		for _, dep := range dependsOn(o) {
			g.addEdge(index, dep, key, "dependsOn")
		}
	}
	// A producer that the cluster did not render is no parent in the graph.
	for i := range g.Nodes {
		if _, ok := index[g.Nodes[i].Parent]; !ok {
			g.Nodes[i].Parent = ""
		}
	}
	return g
}

// producer returns the key of the Flux object that rendered an object, or
// "".
func producer(o *Object) string {
	if len(o.Chain) == 0 {
		return ""
	}
	return o.Chain[len(o.Chain)-1]
}

func (g *Graph) addEdge(index map[string]int, from, to, kind string) {
	f, ok := index[from]
	t := index[to]
	if !ok || from == to {
		return
	}
	for _, e := range g.Edges {
		if e.From == f && e.To == t && e.Kind == kind {
			return
		}
	}
	g.Edges = append(g.Edges, Edge{From: f, To: t, Kind: kind})
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
