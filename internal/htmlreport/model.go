package htmlreport

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/diff"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// An Encoder returns an object's YAML with every secret value masked:
// the values of Secrets and the values listed in secrets.
type Encoder func(o *model.Object, secrets []string) ([]byte, error)

// Options configure a report.
type Options struct {
	// Title heads the page.
	Title string
	// Encode writes objects as masked YAML; it is required, so that no
	// secret value reaches the page unmasked.
	Encode Encoder
	// Diff, when set, adds the changes between two revisions.
	Diff *diff.Result
	// PathPrefix is the checked folder's slash-separated path in the
	// folder the page names files from (the top of its Git work tree); ""
	// names them from the checked folder.
	PathPrefix string
}

// A Report is everything the page shows, in a stable order.
type Report struct {
	Title    string
	Clusters []*Cluster
	Findings []Finding
	// Rules lists the rule IDs of the findings, sorted, for the filter.
	Rules []string
	Diff  *diff.Result
}

// A Cluster is one rendered cluster.
type Cluster struct {
	// ID is the cluster's index, used in element IDs.
	ID         string
	Name, Path string
	Objects    []*Object
	Tree       []*TreeNode
	Graph      Graph
	// Counts of the cluster's findings by severity.
	Errors, Warnings, Infos int
	Diff                    *diff.ClusterDiff
}

// An Object is one rendered object of a cluster.
type Object struct {
	// ID identifies the object's panel on the page.
	ID       string
	Ref      finding.ObjectRef
	Source   string
	Chain    []string
	Template string
	YAML     string
	// Worst is the severity of the object's worst finding, or "".
	Worst    string
	Findings []int
	// Change is how the diff changes the object, or "".
	Change string

	dependsOn []dependency
	cluster   *Cluster
}

// A dependency is one entry of a Flux object's spec.dependsOn.
type dependency struct{ namespace, name string }

// readDependsOn reads spec.dependsOn; malformed entries are skipped, as
// the schema check reports them.
func readDependsOn(content map[string]any) []dependency {
	spec, _ := content["spec"].(map[string]any)
	list, _ := spec["dependsOn"].([]any)
	var out []dependency
	for _, item := range list {
		m, _ := item.(map[string]any)
		name, _ := m["name"].(string)
		ns, _ := m["namespace"].(string)
		if name != "" {
			out = append(out, dependency{namespace: ns, name: name})
		}
	}
	return out
}

// A Finding is one finding, linked to its object when the page has it.
type Finding struct {
	Index                              int
	Cluster, Severity, Rule            string
	Message, Hint, Pos, Object, Source string
	// Key identifies the finding in the page's address (#finding=KEY) from
	// one report to the next: its fingerprint, and a count after it for
	// the second finding of one fingerprint and those after.
	Key string
	// Clusters names the finding's cluster or, for a finding about the
	// repository, the clusters of its object, for the Cluster column.
	Clusters string
	// DocsURL is the rule's documentation.
	DocsURL string
	// New says that the diff's change adds the finding.
	New bool
	// ObjectID is the ID of the object's panel, or "". ObjectIDs has one
	// per cluster for a finding about the repository's object.
	ObjectID  string
	ObjectIDs string
}

// Build turns a check's result into the report model.
func Build(res *check.Result, opts Options) (*Report, error) {
	if opts.Encode == nil {
		return nil, errors.New("html report: no encoder for objects")
	}
	rep := &Report{Title: opts.Title, Diff: opts.Diff}
	if rep.Title == "" {
		rep.Title = "fluxlint report"
	}
	byRef := map[string]*Object{} // cluster + "\x00" + Kind/ns/name
	for i, fc := range res.Clusters {
		c, err := buildCluster(i, fc, opts)
		if err != nil {
			return nil, err
		}
		for _, o := range c.Objects {
			k := c.Name + "\x00" + o.Ref.String()
			if _, dup := byRef[k]; !dup {
				byRef[k] = o
			}
		}
		rep.Clusters = append(rep.Clusters, c)
	}
	rep.linkFindings(res.Findings, byRef, opts.PathPrefix)
	for _, c := range rep.Clusters {
		c.Tree = buildTree(c)
		c.Graph = buildGraph(c)
	}
	return rep, nil
}

func buildCluster(i int, fc *model.Cluster, opts Options) (*Cluster, error) {
	c := &Cluster{ID: fmt.Sprintf("c%d", i), Name: fc.Name, Path: fc.Path}
	if opts.PathPrefix != "" && c.Path != "" {
		c.Path = path.Join(opts.PathPrefix, c.Path)
	}
	if opts.Diff != nil {
		c.Diff = opts.Diff.Cluster(fc.Name)
	}
	changes := map[string]string{}
	if c.Diff != nil {
		for _, ch := range c.Diff.Changes {
			changes[diff.Key(ch.Ref)] = string(ch.Kind)
		}
	}
	secrets := check.SecretValues(fc)
	for j, o := range fc.Objects {
		data, err := opts.Encode(o, secrets)
		if err != nil {
			return nil, fmt.Errorf("html report: %w", err)
		}
		c.Objects = append(c.Objects, &Object{
			ID: fmt.Sprintf("%s-o%d", c.ID, j), Ref: o.Ref, Source: o.Origin.Under(opts.PathPrefix).String(),
			Chain: o.Chain, Template: o.Template, YAML: string(data), Change: changes[diff.Key(o.Ref)],
			dependsOn: readDependsOn(o.Content), cluster: c,
		})
	}
	return c, nil
}

// linkFindings adds the findings in their order, each linked to its
// object, and counts them per cluster.
func (r *Report) linkFindings(fs []finding.Finding, byRef map[string]*Object, prefix string) {
	clusters := map[string]*Cluster{}
	for _, c := range r.Clusters {
		clusters[c.Name] = c
	}
	rules := map[string]bool{}
	keys := map[string]int{}
	added := r.addedFindings()
	for i, f := range fs {
		f.Pos = f.Pos.Under(prefix) // named, and fingerprinted, as every output names it
		rf := Finding{Index: i, Cluster: f.Cluster, Clusters: f.Cluster, Severity: f.Severity.String(), Rule: f.RuleID,
			Message: f.Message, Hint: f.Hint, Pos: f.Pos.String(), DocsURL: finding.DocsURL(f.RuleID)}
		fp := f.Fingerprint()
		keys[fp]++
		rf.Key = fp
		if keys[fp] > 1 {
			rf.Key = fmt.Sprintf("%s-%d", fp, keys[fp])
		}
		if added[fp+"\x00"+rf.Pos] > 0 {
			added[fp+"\x00"+rf.Pos]--
			rf.New = true
		}
		if !f.Object.IsZero() {
			rf.Object = f.Object.String()
		}
		rules[f.RuleID] = true
		counted := clusters[f.Cluster]
		var names []string
		for k, o := range r.objectsOf(f, byRef) {
			if k == 0 {
				rf.ObjectID = o.ID
			}
			if !slices.Contains(names, o.cluster.Name) {
				names = append(names, o.cluster.Name)
			}
			rf.ObjectIDs = strings.TrimSpace(rf.ObjectIDs + " " + o.ID)
			o.Findings = append(o.Findings, i)
			if worse(rf.Severity, o.Worst) {
				o.Worst = rf.Severity
			}
			if f.Cluster == "" {
				o.cluster.count(f.Severity) // a repository finding about this cluster's object
			}
		}
		if counted != nil {
			counted.count(f.Severity)
		}
		if rf.Clusters == "" {
			rf.Clusters = strings.Join(names, ", ")
		}
		r.Findings = append(r.Findings, rf)
	}
	for id := range rules {
		r.Rules = append(r.Rules, id)
	}
	slices.Sort(r.Rules)
}

// addedFindings counts the findings that the diff adds, by fingerprint and
// position.
func (r *Report) addedFindings() map[string]int {
	out := map[string]int{}
	if r.Diff == nil || r.Diff.Findings == nil {
		return out
	}
	for _, f := range r.Diff.Findings.Added {
		out[f.Fingerprint()+"\x00"+f.Pos.String()]++
	}
	return out
}

// NewFindings returns the findings that the diff adds.
func (r *Report) NewFindings() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.New {
			out = append(out, f)
		}
	}
	return out
}

// Picker says that the page lists its clusters in a searchable picker
// rather than as tabs: there are too many for tabs.
func (r *Report) Picker() bool { return len(r.Clusters) > maxTabs }

// maxTabs is the largest number of clusters shown as tabs.
const maxTabs = 6

// Graphs returns each cluster's graph by cluster ID, for the page's
// script.
func (r *Report) Graphs() map[string]Graph {
	out := make(map[string]Graph, len(r.Clusters))
	for _, c := range r.Clusters {
		out[c.ID] = c.Graph
	}
	return out
}

// count counts a finding of the cluster.
func (c *Cluster) count(s finding.Severity) {
	switch s {
	case finding.Error:
		c.Errors++
	case finding.Warning:
		c.Warnings++
	default:
		c.Infos++
	}
}

// objectsOf finds a finding's object in its cluster or, when the finding
// names no cluster (it is about the repository), in every cluster.
func (r *Report) objectsOf(f finding.Finding, byRef map[string]*Object) []*Object {
	if f.Object.IsZero() {
		return nil
	}
	var out []*Object
	for _, c := range r.Clusters {
		if f.Cluster != "" && f.Cluster != c.Name {
			continue
		}
		if o := byRef[c.Name+"\x00"+f.Object.String()]; o != nil {
			out = append(out, o)
		}
	}
	return out
}

// severityRank orders severity names; "" ranks below every severity.
func severityRank(s string) int {
	switch s {
	case "error":
		return 3
	case "warning":
		return 2
	case "info":
		return 1
	}
	return 0
}

func worse(a, b string) bool { return severityRank(a) > severityRank(b) }

// Label returns the object's name for lists: Kind namespace/name.
func (o *Object) Label() string {
	if o.Ref.Namespace == "" {
		return o.Ref.Kind + " " + o.Ref.Name
	}
	return o.Ref.Kind + " " + o.Ref.Namespace + "/" + o.Ref.Name
}

// FocusKey is the graph node that the object's "Focus in graph" button
// focuses: the object itself when it is a Flux object, else the Flux object
// that rendered it, else "".
func (o *Object) FocusKey() string {
	if isFluxNode(o) {
		return o.Ref.String()
	}
	return producer(o)
}

// SearchText is what the search box matches against, lower case.
func (o *Object) SearchText() string {
	return strings.ToLower(o.Ref.String())
}
