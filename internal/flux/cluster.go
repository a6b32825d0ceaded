package flux

import (
	"context"
	"fmt"
	"maps"
	"path"
	"reflect"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/operator"
	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/source"
)

// Rule IDs of the findings about the Flux graph.
const (
	RuleDuplicate = "flux-duplicate-object"
)

// maxDepth bounds the nesting of Kustomizations, against cycles that
// renaming hides.
const maxDepth = 64

// cluster is the state of one cluster's walk.
type cluster struct {
	*model.Cluster
	repo    *source.Repo
	sources *Sources
	objects []*model.Object
	// index holds the objects by target and model.ObjectKey, byKind by target
	// and model.KindKey, for references that name a kind without its group.
	index  map[string]*model.Object
	byKind map[string]*model.Object
	read   map[string]bool
	// syncSources holds the ObjectKeys of the sources a cluster's sync
	// names (flux bootstrap's gotk-sync.yaml, a FluxInstance's spec.sync):
	// they are this repository, whatever they are called.
	syncSources map[string]bool
	// entrySynced is whether a Kustomization of the entry folder builds
	// that folder itself, so that it, not a person, applies the entry.
	entrySynced bool
	// via is how the cluster's entry was found.
	via string
	// joined is the folder of the root Kustomizations applied by hand
	// beside the entry (Entry.Joined), or "".
	joined string
	// selfSources are the GitRepositories found to be this repository.
	selfSources map[*model.Object]bool
	// bootstrapNamespaces are the namespaces of sync sources that flux
	// bootstrap --namespace makes outside the repository (outsideSync).
	bootstrapNamespaces map[string]bool
	// synced notes the targets whose FluxInstance sync is generated.
	synced map[string]bool
	// made holds what rendered objects make once applied (model.Produces), by
	// target and model.KindKey.
	made map[string]string
	// pendingSets are the ResourceSets not expanded yet.
	pendingSets []*model.Object
	// unmet notes the substituteFrom references that named nothing yet
	// when their Kustomization was rendered; steady is, on a second walk,
	// the cluster the first walk left (replay.go).
	unmet  []unmetRef
	steady *cluster
	// webhook is the cluster's kustomize-mutating-webhook, once a
	// HelmRelease installs it (webhook.go); mutatedEarly is whether a
	// Kustomization it would mutate was rendered before any was found, and
	// webhookLate whether one was then found: the walk is done again with
	// it from the start.
	webhook                   *substituteWebhook
	mutatedEarly, webhookLate bool
	// gate is the StrictPostBuildSubstitutions feature gate the cluster's
	// kustomize-controller runs with, nil when nothing sets it
	// (featuregate.go); renderedStrict is whether a Kustomization was
	// rendered with strict substitution, and gateLate whether a gate that
	// turns it off was found after that: the walk is done again with it.
	gate                     *bool
	renderedStrict, gateLate bool
	// sibling is the Flux release that the other clusters' files name,
	// once looked up for a cluster whose own name none (siblingRelease).
	sibling *string
}

// targetKey prefixes a key with the target cluster it lives in.
func targetKey(target, key string) string { return target + "\x00" + key }

// Lookup returns the rendered object of a kind in a namespace of the
// cluster itself, or nil.
func (c *cluster) Lookup(kind, namespace, name string) *model.Object {
	return c.lookup("", kind, namespace, name)
}

// lookup returns the object of a kind in a namespace of a target, or nil;
// the kind's group is the one its references mean (model.KindGroup), or any.
func (c *cluster) lookup(target, kind, namespace, name string) *model.Object {
	if group, known := model.KindGroup(kind); known {
		return c.index[targetKey(target, model.ObjectKey(group, kind, namespace, name))]
	}
	return c.byKind[targetKey(target, model.KindKey(kind, namespace, name))]
}

// env returns the objects seen from where from is applied, for
// substituteFrom.
func (c *cluster) env(from *model.Object) render.Env {
	return targetEnv{c: c, target: from.Target}
}

// targetEnv serves lookups in one target.
type targetEnv struct {
	c      *cluster
	target string
}

// Lookup implements render.Env; on a second walk, an object of the first
// walk's cluster counts too (replay.go).
func (e targetEnv) Lookup(kind, namespace, name string) *model.Object {
	if o := e.c.lookup(e.target, kind, namespace, name); o != nil || e.c.steady == nil {
		return o
	}
	return e.c.steady.lookup(e.target, kind, namespace, name)
}

// MadeBy implements render.Env, with the first walk's cluster as Lookup.
func (e targetEnv) MadeBy(kind, namespace, name string) string {
	if by := e.c.madeIn(e.target, kind, namespace, name); by != "" || e.c.steady == nil {
		return by
	}
	return e.c.steady.madeIn(e.target, kind, namespace, name)
}

// DefinedOutside implements render.Env.
func (e targetEnv) DefinedOutside(kind, name string) (finding.Pos, bool) {
	return e.c.DefinedOutside(kind, name)
}

// DefinedOutside returns where the repository defines an object of a kind
// and name in a file that no render of the cluster has read so far.
func (c *cluster) DefinedOutside(kind, name string) (finding.Pos, bool) {
	return model.NewOutside(c.repo, sortedKeys(c.read), c.Path, c.sources.Clusters, c.sources.scripts).Find(kind, name)
}

// MadeBy names what makes an object of the cluster itself that is not
// rendered, or "".
func (c *cluster) MadeBy(kind, namespace, name string) string {
	return c.madeIn("", kind, namespace, name)
}

// madeIn names what makes an object of a target that is not rendered, in
// its namespace or in any (model.AnyNamespace), or "".
func (c *cluster) madeIn(target, kind, namespace, name string) string {
	if by := c.made[targetKey(target, model.KindKey(kind, namespace, name))]; by != "" || namespace == "" {
		return by
	}
	return c.made[targetKey(target, model.KindKey(kind, model.AnyNamespace, name))]
}

// selfSource returns the cluster's flux-system GitRepository, or nil.
func (c *cluster) selfSource() *model.Object {
	return c.lookup("", "GitRepository", "flux-system", "flux-system")
}

// add records rendered objects; a second object with the same group, kind,
// namespace and name in one target is a finding.
func (c *cluster) add(objs []*model.Object) []*model.Object {
	var added []*model.Object
	for _, o := range objs {
		k := targetKey(o.Target, model.ObjectKey(model.Group(o.Ref.APIVersion), o.Ref.Kind, o.Ref.Namespace, o.Ref.Name))
		if first, dup := c.index[k]; dup {
			if len(first.Chain) == 0 && len(o.Chain) > 0 && (c.via == model.ViaOrphan || !c.entrySynced) {
				// An entry folder that no Kustomization builds as it is
				// (as flux bootstrap's flux-system does) is applied by
				// hand at bootstrap; a Kustomization that applies the
				// same objects again, say from a folder above, takes
				// them over.
				continue
			}
			c.Findings = append(c.Findings, duplicate(first, o))
			continue
		}
		c.index[k] = o
		c.noteSync(o)
		c.noteControllerGate(o)
		for _, m := range model.Produces(o) {
			c.made[targetKey(o.Target, model.KindKey(m.Kind, m.Namespace, m.Name))] = m.By
		}
		if kk := targetKey(o.Target, model.KindKey(o.Ref.Kind, o.Ref.Namespace, o.Ref.Name)); c.byKind[kk] == nil {
			c.byKind[kk] = o
		}
		c.objects = append(c.objects, o)
		added = append(added, o)
	}
	return added
}

// noteSync records the source that flux bootstrap's Kustomization in
// gotk-sync.yaml names: the cluster's sync source, this repository.
func (c *cluster) noteSync(o *model.Object) {
	if o.Doc == nil || !model.IsKind(o, model.GroupKustomize, "Kustomization") {
		return
	}
	// flux bootstrap's gotk-sync.yaml, or the root Kustomization of a
	// cluster found as an orphan, or of the orphan that joins it (applied
	// by hand at bootstrap).
	dir := path.Dir(o.Doc.File.Path)
	orphanRoot := (c.via == model.ViaOrphan && dir == c.Path || c.joined != "" && dir == c.joined) && isLocalDir(c.repo, str(o.Content, "spec", "path")) &&
		!rootOfOtherSource(o.Content)
	if path.Base(o.Doc.File.Path) != "gotk-sync.yaml" && !orphanRoot {
		return
	}
	kind, ns, name := model.SourceRef(o)
	c.syncSources[model.ObjectKey(model.GroupSource, kind, ns, name)] = true
	if bootstrapped := path.Base(dir); !orphanRoot && bootstrapped != "flux-system" && bootstrapped == ns && o.Ref.Namespace == ns {
		// flux bootstrap --namespace ns installs Flux in ns, which it makes,
		// and writes the sync in <path>/ns/gotk-sync.yaml.
		c.bootstrapNamespaces[ns] = true
	}
}

// duplicate reports an object rendered a second time in one target. Two
// different copies overwrite each other on every reconcile; two alike only
// pass Flux's owner labels back and forth, and the pruning of the one
// that applied last deletes the other's, so that is a warning.
func duplicate(first, o *model.Object) finding.Finding {
	f := finding.Finding{RuleID: RuleDuplicate, Severity: finding.Error, Pos: o.Origin, Object: o.Ref, Chain: o.Chain,
		Message: fmt.Sprintf("%s is also rendered from %s by %s, and here by %s; the two fight over one object in the cluster",
			o.Ref, first.Origin, producer(first.Chain), producer(o.Chain))}
	if reflect.DeepEqual(appliedContent(first.Content), appliedContent(o.Content)) {
		f.Severity = finding.Warning
		f.Message = fmt.Sprintf("%s is also rendered, alike, from %s by %s, and here by %s; Flux's owner labels pass between the two on every reconcile, and the one that applied it last deletes it for both when it prunes it",
			o.Ref, first.Origin, producer(first.Chain), producer(o.Chain))
	} else if sopsAlike(first.Content, o.Content) {
		f.Severity = finding.Warning
		f.Message = fmt.Sprintf("%s is also rendered from %s by %s, and here by %s, differing only in SOPS-encrypted values, which SOPS encrypts differently each time: if the values are alike, Flux's owner labels pass between the two on every reconcile and the one that applied it last deletes it for both when it prunes it; if not, the two overwrite each other",
			o.Ref, first.Origin, producer(first.Chain), producer(o.Chain))
	}
	if appliesItself(o) {
		selfApplied(&f, first, o)
	}
	return f
}

// appliesItself reports whether a Flux Kustomization was rendered by its
// own build: its spec.path is a folder that holds the file defining it
// (the folder of an app's ks.yaml instead of the app/ folder below it).
func appliesItself(o *model.Object) bool {
	return model.IsKind(o, model.GroupKustomize, "Kustomization") && producer(o.Chain) == o.Ref.String()
}

// selfApplied says of a duplicate that a Kustomization applies itself,
// at its spec.path, the value to change.
func selfApplied(f *finding.Finding, first, o *model.Object) {
	consequence := "the two overwrite each other on every reconcile"
	if f.Severity == finding.Warning {
		consequence = "Flux's owner labels pass between the two on every reconcile, and the one that applied it last deletes it for both when it prunes it"
	}
	f.Pos = o.PosOf([]string{"spec", "path"})
	f.Message = fmt.Sprintf("%s applies itself: its spec.path %q holds %s, the file that defines it, which %s applies too; %s",
		o.Ref, str(o.Content, "spec", "path"), first.Origin.File, producer(first.Chain), consequence)
	f.Hint = "point spec.path at the folder of the manifests it deploys (the folder below its own file), or leave its own file out of that folder's kustomization.yaml"
}

// sopsAlike reports whether two SOPS-encrypted documents are alike but for
// their encrypted values: SOPS encrypts each value with a random IV, so two
// encryptions of one value differ, and kustomize-controller applies what
// they decrypt to, which offline is unknown.
func sopsAlike(a, b map[string]any) bool {
	if _, ok := a["sops"]; !ok {
		return false
	}
	if _, ok := b["sops"]; !ok {
		return false
	}
	return reflect.DeepEqual(maskEncrypted(appliedContent(a)), maskEncrypted(appliedContent(b)))
}

// maskEncrypted returns a copy of a value with every SOPS-encrypted string
// (ENC[...]) replaced by "ENC[]"; the value is not changed.
func maskEncrypted(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = maskEncrypted(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = maskEncrypted(x)
		}
		return out
	case string:
		if strings.HasPrefix(t, "ENC[") && strings.HasSuffix(t, "]") {
			return "ENC[]"
		}
	}
	return v
}

// appliedContent returns what of an object's content Flux applies, to compare
// two copies: without the owner labels of withoutOwnerLabels, and without
// the sops stanza of a SOPS-encrypted document, which kustomize-controller
// removes when it decrypts the document. The content is not changed.
func appliedContent(content map[string]any) map[string]any {
	out := withoutOwnerLabels(content)
	if _, ok := out["sops"]; ok {
		out = maps.Clone(out)
		delete(out, "sops")
	}
	return out
}

// withoutOwnerLabels returns an object's content without the owner labels
// that the Flux Operator sets on what a ResourceSet generates: two copies
// from two ResourceSets that differ only there are alike, as the labels
// pass between them like Flux's own. The content is not changed.
func withoutOwnerLabels(content map[string]any) map[string]any {
	meta, _ := content["metadata"].(map[string]any)
	labels, _ := meta["labels"].(map[string]any)
	owned := false
	for k := range labels {
		owned = owned || operator.IsOwnerLabel(k)
	}
	if !owned {
		return content
	}
	kept := map[string]any{}
	for k, v := range labels {
		if !operator.IsOwnerLabel(k) {
			kept[k] = v
		}
	}
	newMeta := maps.Clone(meta)
	if len(kept) == 0 {
		delete(newMeta, "labels")
	} else {
		newMeta["labels"] = kept
	}
	out := maps.Clone(content)
	out["metadata"] = newMeta
	return out
}

// producer names the Flux object that rendered an object, the last of its
// chain; the cluster's entry folder when the chain is empty.
func producer(chain []string) string {
	if len(chain) == 0 {
		return "the cluster's entry folder"
	}
	return chain[len(chain)-1]
}

// Render walks one cluster: its entry folder is built as the flux-system
// Kustomization would build it, then every Flux Kustomization found is
// rendered in turn, to any depth.
//
// A substituteFrom object that is rendered or made only later in the walk
// (a ClusterExternalSecret's Secret, deployed by a Kustomization that
// itself substitutes from it) exists once Flux has converged: when the
// walk met one, the cluster is walked a second time with the first walk's
// objects as that converged state (replay.go).
func Render(ctx context.Context, repo *source.Repo, sources *Sources, e Entry) *model.Cluster {
	c := newCluster(repo, sources, e)
	if !c.walk(ctx, e) {
		return c.Cluster
	}
	if c.unmetNowMet() || c.webhookLate || c.gateLate {
		again := newCluster(repo, sources, e)
		again.steady = c
		if again.walk(ctx, e) {
			c = again
		}
	}
	c.finish(ctx)
	return c.Cluster
}

// newCluster returns an empty cluster for an entry.
func newCluster(repo *source.Repo, sources *Sources, e Entry) *cluster {
	return &cluster{
		Cluster: &model.Cluster{Name: e.Name, Path: e.Path, Via: e.Via, FluxVersion: orString(e.FluxVersion, sources.FluxVersion), KubernetesVersion: e.KubernetesVersion},
		repo:    repo, sources: sources,
		index: map[string]*model.Object{}, byKind: map[string]*model.Object{}, read: map[string]bool{},
		syncSources: map[string]bool{}, synced: map[string]bool{}, made: map[string]string{}, selfSources: map[*model.Object]bool{}, bootstrapNamespaces: map[string]bool{}, via: e.Via, joined: e.Joined,
	}
}

// walk renders the entry folder and every Flux Kustomization found, to any
// depth; false when the repository cannot be read as a source.
func (c *cluster) walk(ctx context.Context, e Entry) bool {
	repo, dir := c.repo, e.Path
	root, err := c.sources.artifact(repo.Root, "")
	if err != nil {
		c.Findings = append(c.Findings, finding.Finding{RuleID: RuleSourceUnavailable, Severity: finding.Error, Pos: finding.Pos{File: dir}, Message: err.Error()})
		return false
	}
	renderEntry := func(spec map[string]any, lenient bool) render.Result {
		entry := render.Unstructured(map[string]any{
			"apiVersion": model.GroupKustomize + "/v1", "kind": "Kustomization",
			"metadata": map[string]any{"name": "flux-system", "namespace": "flux-system"},
			"spec":     spec,
		})
		return render.Render(ctx, repo, render.Request{
			Build: render.Build{Artifact: root, Path: dir, Kustomization: entry, Cache: c.sources.Builds},
			At:    finding.Pos{File: dir}, Lenient: lenient,
			Memo: c.sources.Memo, Cluster: c.memoName(),
		}, c)
	}
	res := renderEntry(map[string]any{"path": dir}, false)
	if spec := c.selfSpec(res.Objects, root, dir); spec != nil {
		// The entry's files name the Flux release (gotk-components.yaml),
		// which says how strictly it substitutes.
		for _, f := range res.FilesRead {
			c.read[f] = true
		}
		res = renderEntry(spec, c.lenient())
	}
	if e.Via == model.ViaOrphan {
		res.Objects = c.leaveToRoots(res.Objects, dir)
	}
	c.collect(res)
	added := c.add(res.Objects)
	if e.Via == model.ViaOrphan {
		added = append(added, c.add(c.handApplied(dir))...)
	}
	if e.Joined != "" {
		added = append(added, c.add(c.handApplied(e.Joined))...)
	}
	queue := c.kustomizations(added)
	if e.Instance != "" && !c.synced[""] {
		queue = append(queue, c.kustomizations(c.instanceFromFile(e.Instance, dir))...)
	}
	c.entrySynced = slices.ContainsFunc(queue, func(ks *model.Object) bool { return c.isEntry(ks, root, dir) })
	c.drain(ctx, queue, map[*model.Object]bool{}, func(ks *model.Object) bool { return c.isEntry(ks, root, dir) })
	return true
}

// leaveToRoots keeps, of the render of an orphan cluster's entry folder
// that has no kustomization file, the objects of the folder's own files:
// no Flux Kustomization builds the folder (else it would not be an
// orphan), so a person applies it, and `kubectl apply -f` of a folder
// reads its files and not its subfolders, where Flux's generated
// kustomization would take in every subfolder that has a kustomization
// file. Those subfolders are what the folder's Kustomizations build, with
// their targetNamespace, or are switched off.
func (c *cluster) leaveToRoots(objs []*model.Object, dir string) []*model.Object {
	if dir == "." || dir == "" {
		return objs
	}
	if k, ok := nearestKustomization(c.repo, path.Join(dir, "x")); ok && path.Dir(k) == dir {
		return objs
	}
	return slices.DeleteFunc(objs, func(o *model.Object) bool {
		return o.Origin.File != "" && path.Dir(o.Origin.File) != dir
	})
}

// selfSpec returns the spec with which the Kustomization syncing the entry
// folder (flux bootstrap's flux-system, its spec.path set by a kustomize
// patch of a shared one) builds that folder once the sync has applied
// itself, when it differs from a plain build: its spec.patches (which a
// kustomize patch of flux-system/kustomization.yaml may add, to give every
// Kustomization it applies cluster-wide variables), and its
// postBuild.substitute when it has no substituteFrom. The entry is then
// rendered as that Kustomization renders it. Otherwise nil: the entry is
// rendered as it is applied by hand.
func (c *cluster) selfSpec(objs []*model.Object, root *render.Artifact, dir string) map[string]any {
	for _, o := range objs {
		if !model.IsKind(o, model.GroupKustomize, "Kustomization") || !c.isEntry(o, root, dir) {
			continue
		}
		spec := map[string]any{"path": dir}
		if patches, _ := value(o.Content, "spec", "patches").([]any); len(patches) > 0 {
			spec["patches"] = patches
		}
		vars, _ := value(o.Content, "spec", "postBuild", "substitute").(map[string]any)
		if len(vars) > 0 && value(o.Content, "spec", "postBuild", "substituteFrom") == nil {
			spec["postBuild"] = map[string]any{"substitute": vars}
		}
		if len(spec) > 1 {
			return spec
		}
	}
	return nil
}

// drain renders the Kustomizations of queue, those their renders make and
// those the pending ResourceSets expand to, one at a time in dependency
// order (pick), each once (rendered), leaving out those skip names.
func (c *cluster) drain(ctx context.Context, queue []*model.Object, rendered map[*model.Object]bool, skip func(*model.Object) bool) {
	for len(queue) > 0 || len(c.pendingSets) > 0 {
		if ctx.Err() != nil {
			return
		}
		if len(queue) == 0 {
			queue = c.kustomizations(c.expandResourceSets(ctx))
			continue
		}
		next := c.pick(queue)
		ks := queue[next]
		queue = slices.Delete(queue, next, next+1)
		if rendered[ks] || skip(ks) {
			continue
		}
		rendered[ks] = true
		queue = append(queue, c.kustomizations(c.renderKustomization(ctx, ks))...)
	}
}

// finish renders the HelmReleases of a walked cluster and fills in what
// its checks read.
func (c *cluster) finish(ctx context.Context) {
	repo := c.repo
	c.renderCharts(ctx)
	c.softenDataFiles()
	c.Gaps = append(gaps(c.Findings), c.Gaps...) // the renders' own first
	c.softenSecretsOfUnread()
	c.Objects = c.objects
	c.FilesRead = sortedKeys(c.read)
	c.Outside = model.NewOutside(repo, c.FilesRead, c.Path, c.sources.Clusters, c.sources.scripts)
	c.softenSourcesDefinedOutside()
	for src := range c.selfSources {
		c.SelfSources = append(c.SelfSources, src)
	}
	slices.SortFunc(c.SelfSources, func(a, b *model.Object) int { return strings.Compare(a.Ref.String(), b.Ref.String()) })
	c.BootstrapNamespaces = sortedKeys(c.bootstrapNamespaces)
	c.detectVersion()
}

func orString(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// isEntry reports whether a Flux Kustomization builds the cluster's entry
// folder from this repository: that is the flux-system Kustomization, whose
// output is already rendered.
func (c *cluster) isEntry(ks *model.Object, root *render.Artifact, dir string) bool {
	if ks.Target != "" {
		return false
	}
	a, un := c.sources.resolve(c, ks)
	if un != nil || a.Root != root.Root {
		return false
	}
	return a.Join(str(ks.Content, "spec", "path")) == root.Join(dir)
}

// pick chooses the next Kustomization: the first whose substituteFrom
// objects are all rendered already, else the first.
func (c *cluster) pick(queue []*model.Object) int {
	first := -1
	for i, ks := range queue {
		if !c.substituteFromReady(ks) {
			continue
		}
		if c.sourceDefined(ks) {
			return i
		}
		if first < 0 {
			first = i
		}
	}
	return max(first, 0)
}

// sourceDefined reports whether the source a Kustomization's sourceRef
// names is known yet: an object rendered so far, or one the cluster has
// without rendering it (the sync's, an ExternalArtifact's generator). A
// Kustomization whose source another one of the queue makes (a
// GitRepository of an infrastructure folder that it dependsOn) waits for
// it, as Flux's does until the source exists.
func (c *cluster) sourceDefined(ks *model.Object) bool {
	kind, ns, name := model.SourceRef(ks)
	if kind == "ExternalArtifact" || bootstrapSource(kind, ns, name) || ks.Target == "" && c.syncSources[model.ObjectKey(model.GroupSource, kind, ns, name)] {
		return true
	}
	return c.lookup(ks.Target, kind, ns, name) != nil || c.outsideSync(ks, kind, ns, name)
}

// outsideSync reports whether the source a Kustomization names, which the
// cluster does not render, is the cluster's own sync source made outside
// the repository under another name than flux-system: the cluster is a
// folder under clusters/ that holds no sync of its own (no gotk-sync.yaml,
// no FluxInstance, no Kustomization that builds its folder), so a person,
// a script or a management cluster applied its root, and the repository
// writes a GitRepository of that namespace and name, for another cluster,
// whose URL is this repository (kingdon-ci/fleet-infra's talos-dev syncs
// from GitRepository fleet-infra), or the source is named, in the
// Kustomization's own namespace, as the repository's other clusters'
// bootstrap syncs in namespaces of their own (namedLikeSelfSyncs).
func (c *cluster) outsideSync(ks *model.Object, kind, ns, name string) bool {
	if ks.Target != "" || kind != "GitRepository" || c.via != model.ViaClusters || len(c.syncSources) > 0 || c.entrySynced {
		return false
	}
	if c.sources.namesSelf(ns, name) || c.sources.configSyncs(ns, name, c.Path) {
		return true
	}
	if ns == ks.Ref.Namespace && c.sources.namedLikeSelfSyncs(ns, name) {
		// flux bootstrap --namespace ns makes the namespace too.
		c.bootstrapNamespaces[ns] = true
		return true
	}
	return false
}

func (c *cluster) substituteFromReady(ks *model.Object) bool {
	refs, _ := value(ks.Content, "spec", "postBuild", "substituteFrom").([]any)
	for _, r := range refs {
		rm, _ := r.(map[string]any)
		kind, _ := rm["kind"].(string)
		name, _ := rm["name"].(string)
		if c.lookup(ks.Target, kind, ks.Ref.Namespace, name) == nil && c.made[targetKey(ks.Target, model.KindKey(kind, ks.Ref.Namespace, name))] == "" {
			return false
		}
	}
	return true
}

// maxChartRounds bounds how many times the Flux objects that charts make
// are walked, and the HelmReleases found there rendered in turn.
const maxChartRounds = 8

// renderCharts renders the cluster's HelmReleases, then walks the Flux
// Kustomizations, HelmReleases and ResourceSets that their charts make (a
// chart that templates a Kustomization for each of its values), as Flux
// applies them once the release is installed, and renders the
// HelmReleases found there, until nothing new is found.
func (c *cluster) renderCharts(ctx context.Context) {
	done := 0
	rendered := map[*model.Object]bool{}
	for round := 0; round < maxChartRounds && done < len(c.HelmReleases); round++ {
		hrs := c.HelmReleases[done:]
		done = len(c.HelmReleases)
		from := len(c.objects)
		c.renderHelmReleases(ctx, hrs)
		var made []*model.Object
		for _, o := range c.objects[from:] {
			if o.Release != nil {
				made = append(made, o)
			}
		}
		c.drain(ctx, c.kustomizations(made), rendered, func(*model.Object) bool { return false })
		if ctx.Err() != nil {
			return
		}
	}
}

// kustomizations returns the Flux Kustomizations among objs, and notes the
// HelmReleases. A FluxInstance, or the values of a flux-instance chart,
// adds the sync objects Flux Operator generates; a ResourceSet waits for
// expandResourceSets.
func (c *cluster) kustomizations(objs []*model.Object) []*model.Object {
	var out []*model.Object
	for _, o := range objs {
		switch {
		case model.IsKind(o, model.GroupKustomize, "Kustomization"):
			out = append(out, o)
		case model.IsKind(o, model.GroupHelm, "HelmRelease"):
			c.HelmReleases = append(c.HelmReleases, o)
			c.noteWebhook(o)
			if fi, at := c.instanceValues(o); fi != nil {
				out = append(out, c.kustomizations(c.instanceSync(o, fi, at))...)
			}
		case model.IsKind(o, model.GroupOperator, "FluxInstance"):
			out = append(out, c.kustomizations(c.instanceSync(o, o.Content, []string{"spec", "sync"}))...)
		case model.IsKind(o, model.GroupOperator, "ResourceSet"):
			c.pendingSets = append(c.pendingSets, o)
		}
	}
	return out
}

// renderKustomization renders one Flux Kustomization and returns the new
// objects.
func (c *cluster) renderKustomization(ctx context.Context, ks *model.Object) []*model.Object {
	at := ks.PosOf([]string{"spec", "sourceRef"})
	if len(ks.Chain) >= maxDepth {
		c.Findings = append(c.Findings, finding.Finding{RuleID: RuleDuplicate, Severity: finding.Error, Pos: ks.Origin, Object: ks.Ref, Chain: ks.Chain,
			Message: fmt.Sprintf("Kustomizations nest more than %d deep; is there a cycle?", maxDepth)})
		return nil
	}
	if _, _, name := model.SourceRef(ks); name == "" {
		// Every version of the Kustomization's schema requires
		// spec.sourceRef and its name, so the API server refuses it
		// (schema-required reports that): nothing is built, and it names
		// no source to be missing.
		return nil
	}
	artifact, un := c.sources.resolve(c, ks)
	if un != nil {
		// The name is what a person most likely has to change.
		if _, ok := value(ks.Content, "spec", "sourceRef", "name").(string); ok {
			at = ks.PosOf([]string{"spec", "sourceRef", "name"})
		}
		c.Findings = append(c.Findings, finding.Finding{RuleID: un.rule, Severity: un.severity, Pos: at, Object: ks.Ref, Chain: ks.Chain, Message: un.message, Names: un.names})
		return nil
	}
	path := str(ks.Content, "spec", "path")
	if path != "" {
		at = ks.PosOf([]string{"spec", "path"})
	}
	c.Kustomizations++
	unmet := c.unmetRefs(ks)
	admitted := c.mutateKustomization(ks)
	lenient := c.lenient()
	c.renderedStrict = c.renderedStrict || !lenient
	res := render.Render(ctx, c.repo, render.Request{
		Build:        render.Build{Artifact: artifact, Path: path, Kustomization: render.Unstructured(admitted.content), Cache: c.sources.Builds},
		VarsUnknown:  admitted.unknown,
		SecretValues: admitted.secrets,
		Lenient:      lenient,
		Source:       ks,
		Chain:        append(slices.Clone(ks.Chain), refString(ks)),
		At:           at,
		Memo:         c.sources.Memo, Cluster: c.memoName(),
	}, c.env(ks))
	for i := range res.Findings {
		if res.Findings[i].Object.IsZero() && (res.Findings[i].RuleID == render.RuleBuild || res.Findings[i].RuleID == render.RuleRemote) {
			res.Findings[i].Object = ks.Ref
			res.Findings[i].Chain = ks.Chain
		}
	}
	c.softenPathOfAssumedSource(ks, res.Findings)
	c.collect(res)
	target := model.OutputTarget(ks)
	for _, o := range res.Objects {
		o.Target = target
	}
	c.noteUnmet(unmet, res.Objects)
	return c.add(res.Objects)
}

// memoName names the cluster in the keys of the render memo.
func (c *cluster) memoName() string { return c.Name + "\x00" + c.Path }

// readFile records that a render read a file, given by its absolute path;
// files outside the repository are not recorded.
func (c *cluster) readFile(abs string) {
	if rel, ok := c.repo.Rel(abs); ok {
		c.read[rel] = true
	}
}

func (c *cluster) collect(res render.Result) {
	c.Findings = append(c.Findings, res.Findings...)
	c.Gaps = append(c.Gaps, res.Gaps...)
	for _, f := range res.FilesRead {
		c.read[f] = true
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// gaps lists the Flux objects whose output the findings say is not
// rendered, or not all of it, in the order of the findings.
func gaps(findings []finding.Finding) []model.Gap {
	var out []model.Gap
	for _, f := range findings {
		kind := model.GapKind(0)
		switch {
		case f.Object.Kind == "ResourceSet":
			if f.RuleID == RuleOperatorBuild || f.RuleID == RuleOperatorInputs {
				kind = model.PartlyExpanded
			}
		case f.RuleID == RuleSourceUnavailable || f.RuleID == RuleSourceMissing || f.RuleID == render.RuleBuild:
			kind = model.NotBuilt
		case f.RuleID == helm.RuleValues:
			kind = model.ValuesUnresolved
		}
		if kind != 0 {
			out = append(out, model.Gap{Object: f.Object, Kind: kind, Rule: f.RuleID})
		}
	}
	return out
}
