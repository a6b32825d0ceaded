package xref

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// An ExternalObject exists in the live cluster but not in the repository
// (for example the sops-age Secret made by hand); references to it are not
// reported. An empty namespace means a cluster-scoped object.
type ExternalObject struct {
	APIVersion string `yaml:"apiVersion" json:"apiVersion,omitempty"`
	Kind       string `yaml:"kind" json:"kind"`
	Namespace  string `yaml:"namespace" json:"namespace,omitempty"`
	Name       string `yaml:"name" json:"name"`
	Reason     string `yaml:"reason" json:"reason"`
}

// Options configure the reference checks.
type Options struct {
	// External lists the objects that exist only in the live cluster.
	External []ExternalObject
}

// A Checker reports references that name nothing.
type Checker struct {
	external   []ExternalObject
	severities map[string]finding.Severity
}

// New returns a reference checker.
func New(opts Options) *Checker {
	return &Checker{external: opts.External, severities: severities()}
}

// Check reports the broken references of one cluster.
// Objects that a Kustomization or HelmRelease with spec.kubeConfig applies
// to another cluster are checked against that cluster's objects only.
func (ch *Checker) Check(ctx context.Context, c *model.Cluster) []finding.Finding {
	var out []finding.Finding
	parts := targets(c.Objects)
	indexes := map[string]*index{}
	for _, t := range parts {
		view := &model.Cluster{Name: c.Name, Path: c.Path, Via: c.Via, Objects: t.objects, HelmReleases: c.HelmReleases, Findings: c.Findings, Gaps: c.Gaps, SelfSources: c.SelfSources, BootstrapNamespaces: c.BootstrapNamespaces}
		indexes[t.name] = newIndex(t.name, view, c.Objects, ch.external)
	}
	for _, t := range parts {
		r := &reporter{cluster: c, ix: indexes[t.name], indexes: indexes, severities: ch.severities}
		for _, o := range t.objects {
			if ctx.Err() != nil {
				return append(out, r.out...)
			}
			r.checkObject(o)
		}
		r.checkCycles(t.objects)
		r.checkNamespaces(t.objects)
		out = append(out, r.out...)
	}
	return out
}

// A target is the objects that land in one cluster.
type target struct {
	name    string
	objects []*model.Object
}

// targets splits objects by the cluster they land in, the cluster itself
// first, then the others by name.
func targets(objs []*model.Object) []target {
	byName := map[string]int{"": 0}
	out := []target{{name: ""}}
	for _, o := range objs {
		i, ok := byName[o.Target]
		if !ok {
			i = len(out)
			byName[o.Target] = i
			out = append(out, target{name: o.Target})
		}
		out[i].objects = append(out[i].objects, o)
	}
	slices.SortStableFunc(out[1:], func(a, b target) int { return strings.Compare(a.name, b.name) })
	return out
}

// reporter collects the findings of one cluster.
type reporter struct {
	cluster *model.Cluster
	ix      *index
	// indexes holds the index of every target, for references that
	// resolve in another cluster (a kubeConfig's).
	indexes    map[string]*index
	severities map[string]finding.Severity
	out        []finding.Finding
	// skip, when set, says that a reference to a missing object may name
	// one that something fluxlint does not see makes (an operator, for the
	// custom resource being checked): it is not reported.
	skip func(ref) bool
	// decryptionKeys counts the Secrets that the cluster's Kustomizations
	// name in decryption.secretRef, by namespace/name; nil until needed.
	decryptionKeys map[string]int
}

// checkObject runs every reference check that applies to an object.
func (r *reporter) checkObject(o *model.Object) {
	if p := podSpecPath(o); p != nil {
		r.checkPodSpec(o, p)
	}
	switch model.Group(o.Ref.APIVersion) {
	case model.GroupKustomize, model.GroupHelm, model.GroupSource, "notification.toolkit.fluxcd.io", "image.toolkit.fluxcd.io":
		r.checkFlux(o)
		r.checkReceiverToken(o)
	case "", "networking.k8s.io", "gateway.networking.k8s.io", "apps", "autoscaling", "policy", "rbac.authorization.k8s.io":
		r.checkNetwork(o)
		r.checkWorkloadRefs(o)
	case model.GroupOperator:
		r.checkResourceSet(o)
		r.checkCustomResourceRefs(o)
	default:
		r.checkCustomResourceRefs(o)
	}
}

// A ref is one reference to check.
type ref struct {
	obj *model.Object
	// path is the field path of the name, where the finding points.
	path            []string
	kind, namespace string
	name            string
	// apiVersion, when the reference gives one, selects the group;
	// versionPath is its field path, where a finding about it points.
	apiVersion  string
	versionPath []string
	// remote, when set, is the target the reference resolves in instead
	// of the referring object's.
	remote             string
	optional           bool
	rule               string
	severity           finding.Severity
	severityOverridden bool
	what               string
	// byHand, when set, says why a person makes the object outside the
	// repository: a missing one is then information, with this reason.
	byHand string
}

// resolve looks a reference up and reports it when it names nothing. It
// returns the entry when the object exists.
func (r *reporter) resolve(rf ref) *entry {
	if rf.name == "" || placeholder(rf.name) || placeholder(rf.namespace) {
		return nil
	}
	ix := r.ix
	if rf.remote != "" {
		if ix = r.indexes[rf.remote]; ix == nil {
			// Nothing of the repository lands there: what exists is
			// unknown.
			return nil
		}
	}
	group, known := model.RefGroup(rf.apiVersion, rf.kind)
	var except *model.Object
	if rf.what == "valuesFrom" {
		// A release's values are read before its chart renders.
		except = rf.obj
	}
	e, st := ix.lookupGroup(group, known, rf.kind, rf.namespace, rf.name, except)
	if st == unknown && !rf.optional {
		r.nearMiss(rf)
	}
	if st != missing {
		return e
	}
	if !rf.optional && (r.skip == nil || !r.skip(rf)) {
		r.missing(ix, rf)
	}
	return nil
}

// madeOutside reports, as information, a reference to what the repository
// defines or deploys outside the cluster's renders: an object applied by
// hand or at bootstrap, what the chart of a HelmRelease installed so may
// make, what an Argo CD Application deploys into the namespace; it
// returns whether it reported one.
func (r *reporter) madeOutside(rf ref) bool {
	if pos, ok := r.cluster.Outside.Find(rf.kind, rf.name); ok {
		r.outside(rf, pos)
		return true
	}
	if fluxKinds[rf.kind] {
		return false
	}
	if pos, ok := r.cluster.Outside.ChartMade(rf.namespace, rf.name); ok {
		rf.severity, rf.severityOverridden = finding.Info, true
		r.report(rf, fmt.Sprintf("%s names %s %s, which no render of this cluster makes; the repository defines a HelmRelease at %s, outside Flux's renders, whose chart may make it: installed by hand or at bootstrap?",
			rf.what, rf.kind, rf.name, pos), "if it is installed outside Flux, declare it in externalObjects (.fluxlint.yaml)")
		return true
	}
	if pos, ok := r.cluster.Outside.ArgoCDDeploys(rf.namespace, rf.name); ok {
		rf.severity, rf.severityOverridden = finding.Info, true
		r.report(rf, fmt.Sprintf("%s names %s %s, which no render of this cluster makes; the repository defines an Argo CD Application at %s, outside Flux's renders, that deploys into namespace %s and may make it",
			rf.what, rf.kind, rf.name, pos, rf.namespace), "if it exists, declare it in externalObjects (.fluxlint.yaml)")
		return true
	}
	return false
}

// missing reports a reference that names nothing the cluster's renders
// make: as information when the repository defines it outside them.
func (r *reporter) missing(ix *index, rf ref) {
	if r.madeOutside(rf) {
		return
	}
	if rf.byHand != "" && (r.outsideTypo(rf) || r.minorityTypo(rf)) {
		return
	}
	where := " in namespace " + rf.namespace
	if rf.namespace == "" {
		where = ""
	}
	in := clusterOf(rf.obj)
	if rf.remote != "" {
		in = targetName(rf.remote)
	}
	msg := fmt.Sprintf("%s names %s %s, which does not exist%s in %s", rf.what, rf.kind, rf.name, where, in)
	hint := ix.hintFor(rf.kind, rf.namespace, rf.name)
	if pos, ok := r.cluster.Outside.SwitchedOff(rf.kind, rf.name); ok {
		hint = fmt.Sprintf("%s defines it, in a file that a kustomization switches off in a commented-out line", pos)
	}
	if other := ix.otherVersion(rf); other != "" {
		// Flux looks the object up by its apiVersion (a health check's
		// kstatus, a dependsOn's group): the one rendered is of another.
		msg = fmt.Sprintf("%s names %s %s %s, which does not exist%s in %s: the %s %s rendered there is %s", rf.what, rf.apiVersion, rf.kind, rf.name, where, in, rf.kind, rf.name, other)
		hint = "set apiVersion to " + other
		rf = rf.atVersion()
	} else if right := model.BuiltinVersion(rf.apiVersion, rf.kind); right != "" {
		// The API server has no such kind in that group: Flux cannot
		// look the object up, whatever exists.
		msg = fmt.Sprintf("%s names %s %s %s: %s serves no %s, which is %s", rf.what, rf.apiVersion, rf.kind, rf.name, rf.apiVersion, rf.kind, right)
		hint = "set apiVersion to " + right
		rf = rf.atVersion()
	}
	if rf.byHand != "" && (hint == "" || ix.onlyExtended(rf.kind, rf.namespace, rf.name)) {
		// A name a typo away from one that exists (or the name of one
		// in another namespace) is a mistake, whoever makes the Secret;
		// one that another only extends is not (the hint stays).
		rf.severity, rf.severityOverridden = finding.Info, true
		msg = fmt.Sprintf("%s names %s %s, which no render of %s makes: %s", rf.what, rf.kind, rf.name, in, rf.byHand)
	}
	r.report(rf, msg, hint)
}

// atVersion returns the reference pointing at its apiVersion, when the
// apiVersion is what to change.
func (rf ref) atVersion() ref {
	if rf.versionPath != nil {
		rf.path = rf.versionPath
	}
	return rf
}

// outside reports, as information, a reference to an object that no render
// of the cluster makes but that the repository defines elsewhere: applied
// by hand or by a bootstrap script, it probably exists.
func (r *reporter) outside(rf ref, pos finding.Pos) {
	rf.severity, rf.severityOverridden = finding.Info, true
	r.report(rf, fmt.Sprintf("%s names %s %s, which no render of this cluster makes; the repository defines one at %s, outside Flux's renders: applied by hand or at bootstrap?",
		rf.what, rf.kind, rf.name, pos), "if it is applied outside Flux, declare it in externalObjects (.fluxlint.yaml)")
}

// outsideTypo reports, as a warning, a reference to an object made by hand
// (a decryption key) that the repository does not define, while it
// defines one of a name the reference misspells outside Flux's renders
// (the sops-age Secret of a bootstrap folder): it reports whether it did.
func (r *reporter) outsideTypo(rf ref) bool {
	for _, near := range r.cluster.Outside.Names(rf.kind) {
		if !typoOf(rf.name, near) {
			continue
		}
		pos, _ := r.cluster.Outside.Find(rf.kind, near)
		rf.severity, rf.severityOverridden = finding.Warning, true
		r.report(rf, fmt.Sprintf("%s names %s %s, which nothing makes, while the repository defines %s %s at %s, outside Flux's renders: a misspelling?",
			rf.what, rf.kind, rf.name, rf.kind, near, pos), fmt.Sprintf("did you mean %s?", near))
		return true
	}
	return false
}

// minorityTypo reports, as a warning, a decryption Secret made by hand
// whose name is one typo away from the name more of the cluster's
// Kustomizations in its namespace give theirs: it reports whether it did.
func (r *reporter) minorityTypo(rf ref) bool {
	if r.decryptionKeys == nil {
		r.decryptionKeys = map[string]int{}
		for _, e := range r.ix.objects {
			if e.obj != nil && model.IsKind(e.obj, model.GroupKustomize, "Kustomization") {
				if name := str(e.obj.Content, "spec", "decryption", "secretRef", "name"); name != "" {
					r.decryptionKeys[e.obj.Ref.Namespace+"/"+name]++
				}
			}
		}
	}
	mine := r.decryptionKeys[rf.namespace+"/"+rf.name]
	var near string
	for _, key := range slices.Sorted(maps.Keys(r.decryptionKeys)) {
		ns, name, _ := strings.Cut(key, "/")
		if ns == rf.namespace && r.decryptionKeys[key] > mine && typoOf(rf.name, name) {
			near = name
			break
		}
	}
	if near == "" {
		return false
	}
	rf.severity, rf.severityOverridden = finding.Warning, true
	r.report(rf, fmt.Sprintf("%s names Secret %s, which nothing in the repository makes, while %d Kustomizations of namespace %s name %s: a misspelling?",
		rf.what, rf.name, r.decryptionKeys[rf.namespace+"/"+near], rf.namespace, near), fmt.Sprintf("did you mean %s?", near))
	return true
}

// clusterOf names the cluster an object lands in, for messages.
func clusterOf(o *model.Object) string {
	return targetName(o.Target)
}

// targetName names a target cluster, for messages.
func targetName(target string) string {
	if target == "" {
		return "this cluster"
	}
	return "the cluster that kubeConfig " + target + " reaches"
}

// key reports a missing key of a ConfigMap or Secret that exists.
func (r *reporter) key(rf ref, e *entry, key string, keyPath []string) {
	if e == nil || e.keys == nil || key == "" || e.keys[key] || rf.optional {
		return
	}
	keys := make([]string, 0, len(e.keys))
	for k := range e.keys {
		keys = append(keys, k)
	}
	hint := ""
	if c := closest(key, keys); c != "" {
		hint = fmt.Sprintf("did you mean %s?", c)
	}
	kr := rf
	kr.path, kr.rule, kr.severityOverridden = keyPath, RuleKeyMissing, false
	r.report(kr, fmt.Sprintf("%s names key %q, which %s %s/%s does not have", rf.what, key, rf.kind, rf.namespace, rf.name), hint)
}

func (r *reporter) report(rf ref, msg, hint string) {
	sev := r.severities[rf.rule]
	if rf.severityOverridden {
		sev = rf.severity
	}
	if rel := rf.obj.Release; rel != nil {
		// Chart output: hooks and controllers may make objects at install
		// time that fluxlint cannot see, so it is a warning.
		msg += fmt.Sprintf(" (in %s of the chart of %s)", orDefault(rf.obj.Template, "a template"), rel.Ref)
		if sev == finding.Error {
			sev = finding.Warning
		}
	}
	r.out = append(r.out, finding.Finding{
		RuleID: rf.rule, Severity: sev, Message: msg, Hint: hint,
		Pos: rf.obj.PosOf(rf.path), Object: rf.obj.Ref, Cluster: r.cluster.Name, Chain: rf.obj.Chain,
	})
}

// ruleFor returns the rule for a missing object of a kind.
func ruleFor(kind string) string {
	switch kind {
	case "ConfigMap":
		return RuleConfigMapMissing
	case "Secret":
		return RuleSecretMissing
	case "ServiceAccount":
		return RuleServiceAccountMissing
	case "PersistentVolumeClaim":
		return RulePVCMissing
	case "Service":
		return RuleServiceMissing
	case "GitRepository", "HelmRepository", "OCIRepository", "Bucket", "HelmChart", "ExternalArtifact":
		return RuleSourceMissing
	case "IngressClass", "GatewayClass":
		return RuleClassMissing
	}
	return RuleObjectMissing
}

// otherVersion returns the apiVersion of the object a reference names by
// kind, namespace and name when it is rendered under another API group than
// the reference's apiVersion says (a health check of v1 Deployment, while
// Deployments are apps/v1), or "".
func (ix *index) otherVersion(rf ref) string {
	if rf.apiVersion == "" {
		return ""
	}
	e, ok := ix.byKind[model.KindKey(rf.kind, rf.namespace, rf.name)]
	if !ok || e.obj == nil || model.Group(e.obj.Ref.APIVersion) == model.Group(rf.apiVersion) {
		return ""
	}
	return e.obj.Ref.APIVersion
}

// placeholder reports whether a name is known only later, so that a
// reference by it is not resolved: it is, or holds, a SOPS ciphertext
// (ENC[AES256_GCM,data:...,type:str], a document encrypted with its
// references, known once Flux decrypts it), or a parameter that the
// object's controller substitutes when it runs it (Tekton's
// $(params.name) in a Task or StepAction, a {{...}} template of Argo
// Workflows): characters no Kubernetes name holds.
func placeholder(s string) bool {
	return strings.Contains(s, "ENC[AES256_GCM,") || strings.Contains(s, "$(") || strings.Contains(s, "{{")
}
