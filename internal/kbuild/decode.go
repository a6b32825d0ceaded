package kbuild

import (
	"strings"

	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// Decode returns the content of a resource as Flux applies it. Flux does
// not decode kustomize's resources directly: kustomize-controller writes
// them out (ResMap.AsYaml) and reads the text back, and helm-controller
// does the same with every chart's output (its origin labels are a
// kustomize transformer). kyaml's writer changes folded scalars (">"):
// a more-indented line gains a blank line before it, and ">+" keeps one
// more trailing line break. Decode therefore writes and reads back a
// resource that holds a folded scalar, and decodes any other directly,
// which gives the same content at a fraction of the cost.
func Decode(n *yaml.RNode) (map[string]any, error) {
	if !hasFolded(n.YNode()) {
		return n.Map()
	}
	text, err := n.String()
	if err != nil {
		return nil, err
	}
	again, err := yaml.Parse(text)
	if err != nil {
		return nil, err
	}
	return again.Map()
}

// hasFolded reports whether a node tree holds a folded scalar.
func hasFolded(n *yaml.Node) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.ScalarNode && n.Style&yaml.FoldedStyle != 0 {
		return true
	}
	for _, c := range n.Content {
		if hasFolded(c) {
			return true
		}
	}
	return false
}

// Rewrite returns the content of a resource written as text, after Flux
// has read it with kustomize and written it out passes times (a
// HelmRelease's chart output goes through one pass per post-renderer:
// each kustomize post-renderer, commonMetadata, the origin labels). The
// changes compound, so the passes are counted. ok is false when the text
// holds no folded scalar, which no pass changes.
func Rewrite(text string, passes int) (content map[string]any, ok bool, err error) {
	if !strings.Contains(text, ">") {
		// No folded scalar, without parsing: most chart output.
		return nil, false, nil
	}
	n, err := yaml.Parse(text)
	if err != nil || !hasFolded(n.YNode()) {
		return nil, false, err
	}
	for range passes {
		if text, err = n.String(); err != nil {
			return nil, false, err
		}
		if n, err = yaml.Parse(text); err != nil {
			return nil, false, err
		}
	}
	content, err = n.Map()
	return content, err == nil, err
}

// Settle marks a resource that was written out and read back once, as the
// build cache keeps builds, so that Decode and Flux's substitution do not
// count that pass again: its folded scalars lose their style, which later
// passes then leave alone.
func Settle(n *yaml.Node) {
	if n == nil {
		return
	}
	if n.Kind == yaml.ScalarNode {
		n.Style &^= yaml.FoldedStyle
	}
	for _, c := range n.Content {
		Settle(c)
	}
}
