package htmlreport

import (
	"cmp"
	"slices"
	"strings"
)

// A TreeNode is one line of the cluster tree: a Flux object with the
// objects it produced, or a plain object.
type TreeNode struct {
	// Label is Kind namespace/name; Key is Kind/namespace/name.
	Label, Key string
	// ObjectID links to the object's panel; "" for a Flux object named in a
	// chain that the cluster did not render.
	ObjectID string
	Kind     string
	// Worst is the worst severity in the node's subtree, or "".
	Worst    string
	Change   string
	Children []*TreeNode
}

// buildTree nests a cluster's objects under the Flux objects that produced
// them: cluster, then Kustomizations, HelmReleases and their objects.
func buildTree(c *Cluster) []*TreeNode {
	root := &TreeNode{}
	producers := map[string]*TreeNode{}
	// node returns the tree node of the Flux object at the end of chain,
	// creating it and its parents as needed.
	var node func(chain []string) *TreeNode
	node = func(chain []string) *TreeNode {
		if len(chain) == 0 {
			return root
		}
		key := chain[len(chain)-1]
		if n := producers[key]; n != nil {
			return n
		}
		n := &TreeNode{Key: key, Label: labelOfKey(key), Kind: kindOfKey(key)}
		producers[key] = n
		parent := node(chain[:len(chain)-1])
		parent.Children = append(parent.Children, n)
		return n
	}
	for _, o := range c.Objects {
		parent := node(o.Chain)
		key := o.Ref.String()
		n := producers[key]
		if n == nil || n.ObjectID != "" {
			n = &TreeNode{Key: key, Label: o.Label(), Kind: o.Ref.Kind}
			if producers[key] == nil {
				producers[key] = n
			}
			parent.Children = append(parent.Children, n)
		}
		n.ObjectID, n.Worst, n.Change = o.ID, o.Worst, o.Change
	}
	sortTree(root)
	return root.Children
}

// sortTree orders children, Flux objects with children first, then by
// kind and name, and gives each node the worst severity below it.
func sortTree(n *TreeNode) string {
	for _, c := range n.Children {
		if w := sortTree(c); worse(w, n.Worst) {
			n.Worst = w
		}
	}
	slices.SortStableFunc(n.Children, func(a, b *TreeNode) int {
		aLeaf, bLeaf := len(a.Children) == 0, len(b.Children) == 0
		if aLeaf != bLeaf {
			if aLeaf {
				return 1
			}
			return -1
		}
		return cmp.Or(strings.Compare(a.Kind, b.Kind), strings.Compare(a.Key, b.Key))
	})
	return n.Worst
}

// kindOfKey returns the kind of a Kind/namespace/name key.
func kindOfKey(key string) string {
	kind, _, _ := strings.Cut(key, "/")
	return kind
}

// labelOfKey turns Kind/namespace/name into Kind namespace/name.
func labelOfKey(key string) string {
	kind, rest, _ := strings.Cut(key, "/")
	return kind + " " + rest
}
