package diff

import (
	"cmp"
	"slices"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// An Object is one rendered object as the comparison sees it. YAML must
// already have its secret values masked: the diff prints it.
type Object struct {
	Ref finding.ObjectRef
	// YAML is the object's rendered YAML, secret values masked.
	YAML string
	// Origin is where the object is defined, as file:line:col.
	Origin string
	// Chain names the Flux objects that produced the object, outermost
	// first, each as Kind/namespace/name.
	Chain []string
	// Digest identifies the unmasked content, so that a change of masked
	// values alone is seen; "" to compare the YAML only.
	Digest string
}

// A Cluster holds one cluster's rendered objects in one revision.
type Cluster struct {
	Name, Path string
	Objects    []Object
}

// A Kind says how an object changes between the revisions.
type Kind string

// The kinds of change, in the order they are listed.
const (
	Added   Kind = "added"
	Removed Kind = "removed"
	Changed Kind = "changed"
)

// A Change is one object that a revision adds, removes or changes.
type Change struct {
	Kind Kind
	Ref  finding.ObjectRef
	// Origin and Chain come from the head revision, or from the base one
	// for a removed object.
	Origin string
	Chain  []string
	// Unified is the unified diff of the object's YAML, base to head.
	Unified string
	// MaskedOnly says that only masked (secret) values change, so the
	// YAML, and Unified, show no difference.
	MaskedOnly bool
}

// MaskedNote explains a change of masked values alone.
const MaskedNote = "only secret values change; they are masked"

// Producer names the Flux object that renders the changed object: the last
// of its chain, or the cluster's entry folder.
func (c Change) Producer() string {
	if len(c.Chain) == 0 {
		return EntryFolder
	}
	return c.Chain[len(c.Chain)-1]
}

// EntryFolder is the producer of objects that no Flux object renders: they
// come from the cluster's entry folder itself.
const EntryFolder = "the cluster's entry folder"

// A Producer is a Flux object whose output changes, with how many of its
// objects change.
type Producer struct {
	Name    string
	Objects int
}

// A ClusterDiff is the change of one cluster.
type ClusterDiff struct {
	Name, Path string
	// Only is "base" or "head" when the cluster exists in one revision only.
	Only    string
	Changes []Change
}

// Count returns how many objects change in a given way.
func (c ClusterDiff) Count(k Kind) int {
	n := 0
	for _, ch := range c.Changes {
		if ch.Kind == k {
			n++
		}
	}
	return n
}

// Producers returns the Flux objects whose output changes, the blast
// radius of the change, sorted by name.
func (c ClusterDiff) Producers() []Producer {
	counts := map[string]int{}
	for _, ch := range c.Changes {
		counts[ch.Producer()]++
	}
	out := make([]Producer, 0, len(counts))
	for name, n := range counts {
		out = append(out, Producer{Name: name, Objects: n})
	}
	slices.SortFunc(out, func(a, b Producer) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// A Result is the comparison of two revisions.
type Result struct {
	// Base and Head name the revisions, as the user gave them.
	Base, Head string
	Clusters   []ClusterDiff
	// Findings, when set, are the findings that the change adds and
	// removes; outputs show them first.
	Findings *FindingChanges
}

// Empty reports whether no rendered object changes.
func (r *Result) Empty() bool {
	for _, c := range r.Clusters {
		if len(c.Changes) > 0 {
			return false
		}
	}
	return true
}

// Cluster returns the comparison of one cluster, or nil.
func (r *Result) Cluster(name string) *ClusterDiff {
	for i := range r.Clusters {
		if r.Clusters[i].Name == name {
			return &r.Clusters[i]
		}
	}
	return nil
}

// Key identifies an object across revisions: its API group (not version,
// so that moving to a new API version shows as a change of one object),
// kind, namespace and name.
func Key(ref finding.ObjectRef) string {
	group, _, _ := strings.Cut(ref.APIVersion, "/")
	if !strings.Contains(ref.APIVersion, "/") {
		group = "" // the core group: "v1"
	}
	return group + "/" + ref.Kind + "/" + ref.Namespace + "/" + ref.Name
}

// Compare compares the clusters of two revisions, matching clusters by
// name and objects by Key. The result is sorted: clusters by name, changes
// by kind (added, removed, changed) then object.
func Compare(baseName, headName string, base, head []Cluster) *Result {
	res := &Result{Base: baseName, Head: headName}
	baseByName := map[string]Cluster{}
	for _, c := range base {
		baseByName[c.Name] = c
	}
	seen := map[string]bool{}
	for _, h := range head {
		seen[h.Name] = true
		b, ok := baseByName[h.Name]
		cd := compareCluster(b.Objects, h.Objects)
		cd.Name, cd.Path = h.Name, h.Path
		if !ok {
			cd.Only = "head"
		}
		res.Clusters = append(res.Clusters, cd)
	}
	for _, b := range base {
		if seen[b.Name] {
			continue
		}
		cd := compareCluster(b.Objects, nil)
		cd.Name, cd.Path, cd.Only = b.Name, b.Path, "base"
		res.Clusters = append(res.Clusters, cd)
	}
	slices.SortFunc(res.Clusters, func(a, b ClusterDiff) int { return strings.Compare(a.Name, b.Name) })
	return res
}

func compareCluster(base, head []Object) ClusterDiff {
	baseByKey := make(map[string]Object, len(base))
	for _, o := range base {
		baseByKey[Key(o.Ref)] = o
	}
	var cd ClusterDiff
	inHead := make(map[string]bool, len(head))
	for _, h := range head {
		k := Key(h.Ref)
		inHead[k] = true
		b, ok := baseByKey[k]
		switch {
		case !ok:
			cd.Changes = append(cd.Changes, change(Added, h, "", h.YAML))
		case b.YAML != h.YAML:
			cd.Changes = append(cd.Changes, change(Changed, h, b.YAML, h.YAML))
		case b.Digest != h.Digest:
			ch := change(Changed, h, b.YAML, h.YAML)
			ch.MaskedOnly = true
			cd.Changes = append(cd.Changes, ch)
		}
	}
	for _, b := range base {
		if !inHead[Key(b.Ref)] {
			cd.Changes = append(cd.Changes, change(Removed, b, b.YAML, ""))
		}
	}
	order := map[Kind]int{Added: 0, Removed: 1, Changed: 2}
	slices.SortStableFunc(cd.Changes, func(a, b Change) int {
		return cmp.Or(cmp.Compare(order[a.Kind], order[b.Kind]),
			strings.Compare(a.Ref.Kind, b.Ref.Kind), strings.Compare(a.Ref.Namespace, b.Ref.Namespace),
			strings.Compare(a.Ref.Name, b.Ref.Name), strings.Compare(a.Ref.APIVersion, b.Ref.APIVersion))
	})
	return cd
}

func change(k Kind, o Object, from, to string) Change {
	return Change{Kind: k, Ref: o.Ref, Origin: o.Origin, Chain: o.Chain, Unified: Unified(o.Ref.String(), from, to)}
}

// Unified returns the unified diff, with three lines of context, between
// two versions of the YAML of the object called name.
func Unified(name, from, to string) string {
	fromFile, toFile := "a/"+name, "b/"+name
	if from == "" {
		fromFile = "/dev/null"
	}
	if to == "" {
		toFile = "/dev/null"
	}
	text, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: lines(from), B: lines(to), FromFile: fromFile, ToFile: toFile, Context: 3,
	})
	if err != nil {
		// Writing to a strings.Builder does not fail.
		return ""
	}
	return text
}

// lines splits text into lines that each end with a newline, so that the
// diff is well formed even when the text does not end with one.
func lines(s string) []string {
	if s == "" {
		return nil
	}
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	out := strings.SplitAfter(s, "\n")
	return out[:len(out)-1] // the empty string after the last newline
}
