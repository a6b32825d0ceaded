package xref

import (
	"encoding/base64"
	"fmt"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/model"
)

// markUnrendered records where output fluxlint did not render may land:
// HelmReleases whose charts are not rendered, Kustomizations whose source is
// unavailable offline or whose build failed.
func (ix *index) markUnrendered(c *model.Cluster, all []*model.Object) {
	rendered, kustomizations, values := groupObjects(all)
	for _, hr := range c.HelmReleases {
		if rendered[hr.Ref.String()] || model.OutputTarget(hr) != ix.target {
			continue
		}
		why := fmt.Sprintf("the chart of HelmRelease %s (not rendered) may make it", hr.Ref)
		prefixes, known := model.ChartNames(hr, valuesReader(hr, values))
		ix.chartScopes = append(ix.chartScopes, chartScope{hr: hr, namespace: helmNamespace(hr), prefixes: prefixes, known: known, why: why})
		ix.charts.ns[helmNamespace(hr)] = why
		ix.charts.cluster = why
	}
	for _, app := range all {
		// Argo CD renders and applies what an Application deploys, out of
		// fluxlint's sight, as a HelmRelease's unrendered chart.
		if ns := model.ArgoCDNamespace(app.Content); ns != "" && model.OutputTarget(app) == ix.target {
			why := fmt.Sprintf("Argo CD Application %s deploys into this namespace what Argo CD renders, which may make it", app.Ref)
			ix.chartScopes = append(ix.chartScopes, chartScope{hr: app, namespace: ns, why: why})
		}
	}
	for _, g := range c.Gaps {
		switch g.Kind {
		case model.PartlyExpanded:
			ix.markPartialSet(g, all)
		case model.PartlyBuilt:
			ix.markPartlyBuilt(g, kustomizations[g.Object.String()])
		case model.NotBuilt:
			// A Kustomization whose build failed but that rendered
			// objects without its patches is rendered.
			if ks := kustomizations[g.Object.String()]; ks != nil && !rendered[g.Object.String()] && model.OutputTarget(ks) == ix.target {
				ix.markUnrenderedKustomization(g, ks, all)
			}
		}
	}
}

// groupObjects returns, of a cluster's objects, the producers that rendered
// something (by ref), the Flux Kustomizations (by ref) and the ConfigMaps
// and Secrets (by KindKey).
func groupObjects(all []*model.Object) (rendered map[string]bool, kustomizations, values map[string]*model.Object) {
	rendered, kustomizations, values = map[string]bool{}, map[string]*model.Object{}, map[string]*model.Object{}
	for _, o := range all {
		if model.IsKind(o, model.GroupKustomize, "Kustomization") {
			kustomizations[o.Ref.String()] = o
		}
		if (o.Ref.Kind == "ConfigMap" || o.Ref.Kind == "Secret") && model.Group(o.Ref.APIVersion) == "" {
			values[model.KindKey(o.Ref.Kind, o.Ref.Namespace, o.Ref.Name)] = o
		}
		for _, producer := range o.Chain {
			rendered[producer] = true
		}
	}
	return rendered, kustomizations, values
}

// markUnrenderedKustomization records where the objects of a Kustomization
// that is not rendered may land.
func (ix *index) markUnrenderedKustomization(g model.Gap, ks *model.Object, all []*model.Object) {
	why := fmt.Sprintf("Kustomization %s is not rendered (%s) and may make it", g.Object, g.Rule)
	if appliesFluxInstall(ks, all) {
		// Flux's own install manifests: its controllers, in the
		// namespace they are applied to.
		ns := str(ks.Content, "spec", "targetNamespace")
		if ns == "" {
			ns = "flux-system"
		}
		for _, kind := range model.FluxInstallKinds {
			ix.partial = append(ix.partial, partialScope{kind: kind, namespace: ns, why: why})
		}
		return
	}
	if model.PrivateSecrets(ks, all) {
		// It applies SOPS-encrypted Secrets, and may put them in any
		// namespace, the repository's own ones too.
		ix.partial = append(ix.partial, partialScope{kind: "Secret", namespace: str(ks.Content, "spec", "targetNamespace"), why: why})
	}
	if ns := str(ks.Content, "spec", "targetNamespace"); ns != "" {
		ix.unrendered.ns[ns] = why
		return
	}
	// Without targetNamespace its objects land in whatever namespaces its
	// manifests name.
	ix.unrendered.cluster = why
}

// appliesFluxInstall reports whether a Flux Kustomization applies Flux's
// own install manifests: the flux-manifests artifact (model.IsFluxRelease),
// or manifests/install of a GitRepository of fluxcd/flux2, unpatched by
// anything that could add objects (patches change objects, they add none;
// components could).
func appliesFluxInstall(ks *model.Object, all []*model.Object) bool {
	if listAt(ks.Content, "spec", "components") != nil {
		return false
	}
	kind, ns, name := model.SourceRef(ks)
	for _, o := range all {
		if o.Ref.Kind != kind || o.Ref.Name != name || o.Ref.Namespace != ns || !model.IsFluxRelease(o) {
			continue
		}
		if kind == "OCIRepository" {
			return true
		}
		return path.Clean(strings.TrimPrefix(str(ks.Content, "spec", "path"), "./")) == "manifests/install"
	}
	return false
}

// markPartialSet records that a ResourceSet that is not fully expanded may
// make objects of the kinds its templates make, in any namespace; of any
// kind when a template is a Flux Kustomization or HelmRelease (whose
// output is unknown then) or a resourcesTemplate.
func (ix *index) markPartialSet(g model.Gap, all []*model.Object) {
	why := fmt.Sprintf("ResourceSet %s is not fully expanded (%s) and may make it", g.Object, g.Rule)
	for _, o := range all {
		if !model.IsKind(o, model.GroupOperator, "ResourceSet") || o.Ref.String() != g.Object.String() || model.OutputTarget(o) != ix.target {
			continue
		}
		for _, t := range templateScopes(o.Content) {
			t.why = why
			ix.partial = append(ix.partial, t)
		}
	}
}

// markPartlyBuilt records where the remote resources that a Kustomization
// was built without may put objects: the gap's kinds (any when none) in its
// namespace, or the Kustomization's targetNamespace, or else in any
// namespace the cluster's renders do not make.
func (ix *index) markPartlyBuilt(g model.Gap, ks *model.Object) {
	if ks != nil && model.OutputTarget(ks) != ix.target {
		return
	}
	why := fmt.Sprintf("Kustomization %s is built without its remote resources (%s), which may make it", g.Object, g.Rule)
	ns := g.Namespace
	if ns == "" && ks != nil {
		ns = str(ks.Content, "spec", "targetNamespace")
	}
	kinds := g.Kinds
	if len(kinds) == 0 {
		kinds = []string{"*"}
	}
	for _, kind := range kinds {
		ix.partial = append(ix.partial, partialScope{kind: kind, namespace: ns, unowned: ns == "", why: why})
		if ns != "" {
			// kustomize gives no namespace to cluster-scoped objects.
			ix.partial = append(ix.partial, partialScope{kind: kind, clusterScoped: true, why: why})
		}
	}
}

// A partialScope is where a ResourceSet not fully expanded, or the remote
// part of a Kustomization, may put objects: a kind ("*" any) and a
// namespace ("" any; with unowned, any the cluster's renders do not make;
// with clusterScoped, none: cluster-scoped objects only).
type partialScope struct {
	kind, namespace, why   string
	unowned, clusterScoped bool
}

// templateScopes returns where a ResourceSet's templates put objects: each
// template's kind, and its namespace when the template writes it without a
// variable; any kind when a template is a Flux Kustomization or
// HelmRelease (whose output is unknown then) or a resourcesTemplate.
func templateScopes(rs map[string]any) []partialScope {
	anything := []partialScope{{kind: "*"}}
	templates := listAt(rs, "spec", "resources")
	if str(rs, "spec", "resourcesTemplate") != "" {
		return anything
	}
	for _, step := range listAt(rs, "spec", "steps") {
		if str(asMap(step), "resourcesTemplate") != "" {
			return anything
		}
		templates = append(templates, listAt(asMap(step), "resources")...)
	}
	var out []partialScope
	for _, t := range templates {
		kind := str(asMap(t), "kind")
		if kind == "" || kind == "Kustomization" || kind == "HelmRelease" || strings.Contains(kind, "<<") {
			return anything
		}
		ns := str(asMap(t), "metadata", "namespace")
		if strings.Contains(ns, "<<") {
			ns = ""
		}
		out = append(out, partialScope{kind: kind, namespace: ns})
	}
	return out
}

// kyvernoGenerates returns where the generate rules of a Kyverno policy
// make objects: their kind (or the kinds of a cloneList), in their
// namespace when it is written without a variable, else in any, with any
// name (a clone or a variable names them).
func kyvernoGenerates(o *model.Object) []partialScope {
	if model.Group(o.Ref.APIVersion) != "kyverno.io" || (o.Ref.Kind != "ClusterPolicy" && o.Ref.Kind != "Policy") {
		return nil
	}
	why := fmt.Sprintf("the generate rules of %s may make it", o.Ref)
	var out []partialScope
	for _, rule := range listAt(o.Content, "spec", "rules") {
		gen := asMap(asMap(rule)["generate"])
		if gen == nil {
			continue
		}
		ns := str(gen, "namespace")
		if strings.Contains(ns, "{{") {
			ns = ""
		}
		if o.Ref.Kind == "Policy" {
			ns = o.Ref.Namespace
		}
		kinds := []any{str(gen, "kind")}
		if cl := asMap(gen["cloneList"]); cl != nil {
			kinds = listAt(cl, "kinds")
		}
		for _, k := range kinds {
			kind, _ := k.(string)
			if i := strings.LastIndex(kind, "/"); i >= 0 {
				kind = kind[i+1:]
			}
			if kind != "" {
				out = append(out, partialScope{kind: kind, namespace: ns, why: why})
			}
		}
	}
	return out
}

// partialWhy says why a ResourceSet not fully expanded may make an object
// of a kind in a namespace, or "".
func (ix *index) partialWhy(kind, namespace string) string {
	for _, p := range ix.partial {
		if p.unowned && namespace != "" && ix.makesNamespace(namespace) || p.clusterScoped && namespace != "" {
			continue
		}
		if (p.kind == "*" || p.kind == kind) && (p.namespace == "" || p.namespace == namespace) {
			return p.why
		}
	}
	return ""
}

// valuesReader reads the values a HelmRelease's valuesFrom names from the
// rendered ConfigMaps and Secrets of its namespace (values, by KindKey): a
// key holding YAML. A Secret's data is read from stringData or base64 data;
// a value that does not decode (a SOPS-encrypted one) is not known.
func valuesReader(hr *model.Object, values map[string]*model.Object) func(kind, name, key string) (any, bool) {
	return func(kind, name, key string) (any, bool) {
		o := values[model.KindKey(kind, hr.Ref.Namespace, name)]
		if o == nil {
			return nil, false
		}
		text, ok := dataValue(o, key)
		if !ok {
			return nil, false
		}
		var v any
		if err := yaml.Unmarshal([]byte(text), &v); err != nil {
			return nil, false
		}
		return v, true
	}
}

// dataValue returns the text of a ConfigMap's or Secret's key; a SOPS
// file's values are not known.
func dataValue(o *model.Object, key string) (string, bool) {
	if value(o.Content, "sops") != nil {
		return "", false
	}
	if s, ok := value(o.Content, "stringData", key).(string); ok && o.Ref.Kind == "Secret" {
		return s, true
	}
	s, ok := value(o.Content, "data", key).(string)
	if !ok || o.Ref.Kind != "Secret" {
		return s, ok
	}
	b, err := base64.StdEncoding.DecodeString(s)
	return string(b), err == nil
}

// makesNamespace reports whether the cluster's renders make a Namespace.
func (ix *index) makesNamespace(name string) bool {
	e, ok := ix.objects[model.ObjectKey("", "Namespace", "", name)]
	return ok && e.obj != nil
}
