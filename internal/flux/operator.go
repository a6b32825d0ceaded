package flux

import (
	"context"
	"fmt"
	"maps"
	"path"
	"strconv"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/operator"
	"github.com/fluxlint/fluxlint/internal/source"
)

// Rule IDs of the findings about Flux Operator objects.
const (
	// RuleOperatorBuild is a FluxInstance or ResourceSet that the operator
	// cannot build: a template that fails, a sync it rejects.
	RuleOperatorBuild = "flux-operator-build"
	// RuleOperatorInputs is a ResourceSet input provider whose inputs need
	// an API at run time, so what it generates is not checked.
	RuleOperatorInputs = "flux-operator-inputs-unknown"
)

// annotationCopyFrom makes Flux Operator copy the data of another ConfigMap
// or Secret ("namespace/name") into a generated one.
const annotationCopyFrom = "fluxcd.controlplane.io/copyFrom"

// instanceValues returns the FluxInstance that a HelmRelease of the
// flux-instance chart makes from its values, and the path in the
// HelmRelease where its spec.sync is written; nil when the HelmRelease is
// not one. The values are the inline values or, when those have no
// instance.sync, the values helm-controller merges from spec.valuesFrom
// (the cluster's ConfigMaps and Secrets rendered so far, a values file put
// in a ConfigMap by a configMapGenerator) and the inline values.
func (c *cluster) instanceValues(hr *model.Object) (map[string]any, []string) {
	allValues, _ := value(hr.Content, "spec", "values").(map[string]any)
	at := []string{"spec", "values", "instance", "sync"}
	if value(allValues, "instance", "sync") == nil {
		if value(hr.Content, "spec", "valuesFrom") == nil {
			return nil, nil
		}
		merged, err := c.valuesWithFrom(hr)
		if err != nil || value(merged, "instance", "sync") == nil {
			return nil, nil
		}
		allValues, at = merged, []string{"spec", "valuesFrom"}
	}
	return operator.FluxInstanceFromChartValues(allValues, hr.Ref.Namespace), at
}

// instanceSync adds the source and Kustomization that Flux Operator
// generates for a FluxInstance's spec.sync (fi is the instance, maker the
// object it is written in: the FluxInstance, or the HelmRelease of the
// flux-instance chart whose values make it; at is the path of spec.sync in
// maker). It returns the objects added.
func (c *cluster) instanceSync(maker *model.Object, fi map[string]any, at []string) []*model.Object {
	c.Operator = true
	if maker.Target == "" {
		c.noteInstanceGate(fi)
	}
	if c.FluxVersion == "" {
		c.FluxVersion = operator.DistributionVersion(fi)
		if c.FluxVersion != "" {
			c.FluxVersionAt = maker.PosOf(append(at[:len(at)-1:len(at)-1], "distribution", "version"))
		}
	}
	if value(fi, "spec", "sync") == nil || c.synced[maker.Target] {
		return nil
	}
	c.synced[maker.Target] = true
	if value(fi, "metadata", "namespace") == nil && len(maker.Chain) == 0 {
		fi = handAppliedInstance(fi)
	}
	generated, err := operator.FluxInstanceSync(fi, c.FluxVersion, c.sources.Builds.Bucket(operator.SyncBucket))
	if err != nil {
		c.Findings = append(c.Findings, finding.Finding{RuleID: RuleOperatorBuild, Severity: finding.Error,
			Pos: maker.PosOf(at), Object: maker.Ref, Chain: maker.Chain,
			Message: "Flux Operator cannot build the sync of this FluxInstance: " + err.Error()})
		return nil
	}
	var objs []*model.Object
	for _, content := range generated {
		o := c.madeBy(maker, content, at, func(path []string) []string {
			field := pathStrings(operator.SyncFieldPath(content, pathAny(path)))
			if len(field) < 2 {
				return at
			}
			return append(append([]string(nil), at...), field[2:]...)
		})
		if kind := o.Ref.Kind; kind != "Kustomization" && c.syncsThisTree(fi) {
			c.syncSources[model.ObjectKey(model.Group(o.Ref.APIVersion), kind, o.Ref.Namespace, o.Ref.Name)] = true
		}
		objs = append(objs, o)
	}
	return c.add(objs)
}

// syncsThisTree reports whether a FluxInstance's sync reads this tree: its
// path is a folder of the repository, or its URL is one that means this
// repository. A bootstrap repository's FluxInstance that syncs another
// repository (k8s-bootstrap installing the sync of k8s-apps) makes a source
// like any other, which an offline check cannot read unless it is mapped.
func (c *cluster) syncsThisTree(fi map[string]any) bool {
	return isLocalDir(c.repo, str(fi, "spec", "sync", "path")) || c.sources.self[NormalizeURL(str(fi, "spec", "sync", "url"))]
}

// instanceFromFile adds the sync that a file of the repository makes for
// the cluster's entry folder dir: a FluxInstance whose spec.sync.path is
// dir, or flux-instance chart values whose instance.sync.path is dir (a
// HelmRelease's inline values, or a values file that a HelmRelease reads
// through valuesFrom). Such a file is applied by hand or installed from
// outside the folder (the entry's build did not make its sync), so its
// sync is the cluster's from the start. It returns the objects added.
func (c *cluster) instanceFromFile(rel, dir string) []*model.Object {
	f, err := c.repo.File(rel)
	if err != nil {
		return nil
	}
	c.read[rel] = true
	ns := installNamespace(c.repo, rel)
	for _, d := range f.Docs {
		maker, fi, at := fileInstance(d, ns)
		if fi == nil {
			continue
		}
		if syncDir, ok := localDir(c.repo, str(fi, "spec", "sync", "path")); !ok || syncDir != dir {
			continue
		}
		return c.instanceSync(maker, fi, at)
	}
	return nil
}

// fileInstance returns the FluxInstance a document makes, the object that
// makes it and the path of its sync there, or a nil instance: a
// FluxInstance as written; a HelmRelease of the flux-instance chart from
// its inline values; a values file. A chart's release without a namespace
// in its file is installed in ns. The maker of a values file is named
// after the FluxInstance it makes.
func fileInstance(d *source.Document, ns string) (*model.Object, map[string]any, []string) {
	content := d.Object()
	switch kind, group := d.Str("kind"), model.Group(d.Str("apiVersion")); {
	case kind == "FluxInstance" && group == model.GroupOperator:
		return &model.Object{Content: content, Ref: model.RefOf(content), Origin: d.Pos(), Doc: d}, content, []string{"spec", "sync"}
	case kind == "HelmRelease" && group == model.GroupHelm && value(content, "spec", "values", "instance", "sync") != nil:
		ns := orString(d.Str("metadata", "namespace"), ns)
		values, _ := value(content, "spec", "values").(map[string]any)
		hr := &model.Object{Content: content, Ref: model.RefOf(content), Origin: d.Pos(), Doc: d}
		return hr, operator.FluxInstanceFromChartValues(values, ns), []string{"spec", "values", "instance", "sync"}
	case kind == "" && d.Str("apiVersion") == "" && value(content, "instance", "sync") != nil:
		fi := operator.FluxInstanceFromChartValues(content, ns)
		return &model.Object{Content: content, Ref: model.RefOf(fi), Origin: d.Pos(), Doc: d}, fi, []string{"instance", "sync"}
	}
	return nil, nil, nil
}

// installNamespace returns the namespace that a file of chart values or a
// HelmRelease without one is installed in: the namespace that the nearest
// kustomization file of its folder or a folder above gives, else the
// targetNamespace of the Flux Kustomization beside that builds its folder
// (the home-lab layout's ks.yaml), else flux-system, where Flux Operator's
// documentation and charts install the instance.
func installNamespace(repo *source.Repo, rel string) string {
	dir := path.Dir(rel)
	for d, up := dir, 0; d != "." && up < 3; d, up = path.Dir(d), up+1 {
		for _, name := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization", "ks.yaml"} {
			f, err := repo.File(path.Join(d, name))
			if err != nil {
				continue
			}
			for _, doc := range f.Docs {
				if ns := namespaceFor(repo, doc, dir); ns != "" {
					return ns
				}
			}
		}
	}
	return "flux-system"
}

// namespaceFor returns the namespace a document gives the objects of the
// folder dir: a kustomize Kustomization's namespace, or the targetNamespace
// of a Flux Kustomization whose spec.path is dir.
func namespaceFor(repo *source.Repo, doc *source.Document, dir string) string {
	switch group := model.Group(doc.Str("apiVersion")); {
	case doc.Str("kind") != "Kustomization":
		return ""
	case group == model.GroupKustomize:
		if p, ok := localDir(repo, doc.Str("spec", "path")); ok && p == dir {
			return doc.Str("spec", "targetNamespace")
		}
		return ""
	default:
		return doc.Str("namespace")
	}
}

// handAppliedInstance returns a FluxInstance that a person applies (no
// Flux object renders it) without a namespace in its file, as applied: in
// the namespace given on the command line, which for a FluxInstance is
// where Flux Operator runs, flux-system in its documentation and charts.
func handAppliedInstance(fi map[string]any) map[string]any {
	out := maps.Clone(fi)
	meta, _ := fi["metadata"].(map[string]any)
	meta = maps.Clone(meta)
	if meta == nil {
		meta = map[string]any{}
	}
	meta["namespace"] = "flux-system"
	out["metadata"] = meta
	return out
}

// madeBy wraps an object that a Flux Operator object generated.
func (c *cluster) madeBy(maker *model.Object, content map[string]any, at []string, field func([]string) []string) *model.Object {
	o := &model.Object{Content: content, Ref: model.RefOf(content), Origin: maker.PosOf(at),
		Chain: append(append([]string(nil), maker.Chain...), refString(maker)),
		Maker: maker, MakerField: field, Target: maker.Target, Secrets: maker.Secrets}
	return o
}

// expandResourceSets expands the ResourceSets found so far, as Flux
// Operator does, and returns the objects they add. They are expanded after
// the Kustomizations known at the time are rendered, so that the input
// providers they name are found.
func (c *cluster) expandResourceSets(ctx context.Context) []*model.Object {
	sets := c.pendingSets
	c.pendingSets = nil
	var added []*model.Object
	for _, rs := range sets {
		added = append(added, c.expandResourceSet(ctx, rs)...)
	}
	return added
}

func (c *cluster) expandResourceSet(ctx context.Context, rs *model.Object) []*model.Object {
	exp := operator.ExpandResourceSet(ctx, rs.Content, c.inputProviders(rs.Target))
	for _, e := range exp.Errors {
		c.Findings = append(c.Findings, finding.Finding{RuleID: RuleOperatorBuild, Severity: finding.Error,
			Pos: rs.PosOf(pathStrings(e.Path())), Object: rs.Ref, Chain: rs.Chain,
			Message: "Flux Operator cannot build this ResourceSet: " + e.Error()})
	}
	for _, u := range exp.Unresolved {
		c.Findings = append(c.Findings, finding.Finding{RuleID: RuleOperatorInputs, Severity: finding.Info,
			Pos: rs.PosOf([]string{"spec", "inputsFrom"}), Object: rs.Ref, Chain: rs.Chain,
			Message: fmt.Sprintf("inputs of ResourceSetInputProvider %s/%s are not known offline (%s), so what they generate is not checked", u.Namespace, u.Name, u.Reason)})
	}
	objs := make([]*model.Object, 0, len(exp.Objects))
	for _, g := range exp.Objects {
		g := g
		o := c.madeBy(rs, g.Object, pathStrings(g.Template.Path()), func(path []string) []string {
			p, _ := g.TemplatePath(pathAny(path))
			return pathStrings(p)
		})
		c.copyFrom(o)
		objs = append(objs, o)
	}
	return c.add(objs)
}

// inputProviders returns the ResourceSetInputProviders of a target, by
// namespace, for ResourceSets there.
func (c *cluster) inputProviders(target string) operator.ProviderLookup {
	return func(namespace string) []map[string]any {
		var out []map[string]any
		for _, o := range c.objects {
			if o.Target == target && o.Ref.Namespace == namespace && model.IsKind(o, model.GroupOperator, "ResourceSetInputProvider") {
				out = append(out, o.Content)
			}
		}
		return out
	}
}

// copyFrom fills a generated ConfigMap or Secret that asks Flux Operator to
// copy another one's data, when the cluster renders that other one.
func (c *cluster) copyFrom(o *model.Object) {
	if o.Ref.Kind != "ConfigMap" && o.Ref.Kind != "Secret" {
		return
	}
	from := str(o.Content, "metadata", "annotations", annotationCopyFrom)
	ns, name, ok := strings.Cut(from, "/")
	if !ok {
		return
	}
	src := c.lookup(o.Target, o.Ref.Kind, ns, name)
	if src == nil {
		return
	}
	for _, field := range []string{"data", "stringData", "binaryData"} {
		if v, ok := src.Content[field]; ok {
			o.Content[field] = v
		}
	}
	o.Secrets = append(o.Secrets, src.Secrets...)
}

// pathStrings turns an operator field path (keys and list indices) into
// the string path PosOf takes.
func pathStrings(p []any) []string {
	out := make([]string, len(p))
	for i, s := range p {
		out[i] = fmt.Sprint(s)
	}
	return out
}

// pathAny turns a string field path into the operator's, list indices as
// ints.
func pathAny(p []string) []any {
	out := make([]any, len(p))
	for i, s := range p {
		if n, err := strconv.Atoi(s); err == nil {
			out[i] = n
		} else {
			out[i] = s
		}
	}
	return out
}
