package flux

import (
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"path"
	"strings"

	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
)

// webhookChart is the chart name of xUnholy's
// fluxcd-kustomize-mutating-webhook.
const webhookChart = "kustomize-mutating-webhook"

// A substituteWebhook is xUnholy's kustomize-mutating-webhook: an
// admission webhook that, on every create or update of a Flux
// Kustomization (kustomize.toolkit.fluxcd.io/v1) in the namespaces it
// selects, adds the data of the ConfigMaps and Secrets it mounts as
// spec.postBuild.substitute entries, over the Kustomization's own of the
// same name (main.go handleMutate: a JSON patch "add" for each key).
// Home-lab repositories use it instead of a substituteFrom in every
// Kustomization.
type substituteWebhook struct {
	// namespace is where it runs, and where its ConfigMaps and Secrets are.
	namespace string
	// excluded are the namespaces its namespaceSelector leaves out.
	excluded map[string]bool
	// sources are the kinds and names of the objects it mounts.
	sources [][2]string
}

// noteWebhook records the webhook when a HelmRelease installs its chart,
// and whether a Kustomization it mutates was rendered before.
func (c *cluster) noteWebhook(hr *model.Object) {
	if c.webhook != nil || hr.Target != "" || !strings.HasSuffix(c.chartName(hr), webhookChart) {
		return
	}
	c.webhook = webhookFromValues(c.mergedValues(hr), hr.Ref.Namespace)
	c.webhookLate = c.mutatedEarly
}

// chartName returns the name of a HelmRelease's chart: spec.chart's, or
// the last part of the URL of the OCIRepository its chartRef names.
func (c *cluster) chartName(hr *model.Object) string {
	if name := str(hr.Content, "spec", "chart", "spec", "chart"); name != "" {
		return path.Base(name)
	}
	if str(hr.Content, "spec", "chartRef", "kind") != "OCIRepository" {
		return ""
	}
	ns := orString(str(hr.Content, "spec", "chartRef", "namespace"), hr.Ref.Namespace)
	if src := c.lookup(hr.Target, "OCIRepository", ns, str(hr.Content, "spec", "chartRef", "name")); src != nil {
		return path.Base(str(src.Content, "spec", "url"))
	}
	return ""
}

// mergedValues returns the values helm-controller gives a HelmRelease's
// chart (valuesWithFrom), or its inline values alone when those cannot be
// read.
func (c *cluster) mergedValues(hr *model.Object) map[string]any {
	merged, err := c.valuesWithFrom(hr)
	if err != nil {
		inline, _ := value(hr.Content, "spec", "values").(map[string]any)
		return inline
	}
	return merged
}

// valuesWithFrom returns a HelmRelease's values as helm-controller merges
// them: its valuesFrom ConfigMaps and Secrets rendered so far (a values
// file put in a ConfigMap by a configMapGenerator), then its inline values.
func (c *cluster) valuesWithFrom(hr *model.Object) (map[string]any, error) {
	spec, _ := hr.Content["spec"].(map[string]any)
	var sources []*model.Object
	refs, _ := spec["valuesFrom"].([]any)
	for _, r := range refs {
		rm, _ := r.(map[string]any)
		kind, _ := rm["kind"].(string)
		name, _ := rm["name"].(string)
		if o := c.lookup(hr.Target, kind, hr.Ref.Namespace, name); o != nil {
			sources = append(sources, o)
		}
	}
	return helm.Values(context.Background(), render.FakeClient(sources), hr.Ref.Namespace, spec)
}

// webhookFromValues reads the chart's values: the ConfigMaps and Secrets
// of configMaps[].name and secrets[].name (configMap.name in its first
// releases, cluster-config by default), and the namespaces that
// webhook.namespaceSelector leaves out by kubernetes.io/metadata.name
// NotIn (flux-system by default).
func webhookFromValues(values map[string]any, namespace string) *substituteWebhook {
	w := &substituteWebhook{namespace: namespace, excluded: map[string]bool{}}
	for _, src := range []struct{ key, kind string }{{"configMaps", "ConfigMap"}, {"secrets", "Secret"}} {
		items, _ := value(values, src.key).([]any)
		for _, item := range items {
			if name := str(asMap(item), "name"); name != "" {
				w.sources = append(w.sources, [2]string{src.kind, name})
			}
		}
	}
	if len(w.sources) == 0 {
		w.sources = [][2]string{{"ConfigMap", orString(str(values, "configMap", "name"), "cluster-config")}}
	}
	selector, ok := value(values, "webhook", "namespaceSelector").(map[string]any)
	if !ok {
		w.excluded["flux-system"] = true
		return w
	}
	exprs, _ := selector["matchExpressions"].([]any)
	for _, item := range exprs {
		e := asMap(item)
		if str(e, "key") != "kubernetes.io/metadata.name" || str(e, "operator") != "NotIn" {
			continue
		}
		names, _ := e["values"].([]any)
		for _, n := range names {
			w.excluded[fmt.Sprint(n)] = true
		}
	}
	return w
}

// A webhookMutation is what the webhook adds to a Kustomization: its
// content with the variables, whether some of their values are unknown
// offline (an object it mounts is made in the cluster, or not found), and
// the values that come from Secrets.
type webhookMutation struct {
	content map[string]any
	unknown bool
	secrets []string
}

// mutateKustomization returns a Kustomization as the webhook admits it:
// ks itself when no webhook of the cluster (or, on a second walk, of the
// first walk's) mutates it.
func (c *cluster) mutateKustomization(ks *model.Object) webhookMutation {
	w := c.webhook
	if w == nil && c.steady != nil {
		w = c.steady.webhook
	}
	mutates := ks.Target == "" && ks.Ref.APIVersion == model.GroupKustomize+"/v1" && !w.leavesOut(ks.Ref.Namespace)
	if !mutates {
		return webhookMutation{content: ks.Content}
	}
	if w == nil {
		c.mutatedEarly = true
		return webhookMutation{content: ks.Content}
	}
	out := webhookMutation{}
	vars := map[string]any{}
	env := c.env(ks)
	for _, src := range w.sources {
		o := env.Lookup(src[0], w.namespace, src[1])
		if o == nil {
			out.unknown = true
			continue
		}
		data, secret := objectData(o)
		for k, v := range data {
			vars[k] = v
			if secret && v != "" {
				out.secrets = append(out.secrets, v)
			}
		}
	}
	out.content = withSubstitute(ks.Content, vars)
	return out
}

// leavesOut reports whether the webhook mutates no Kustomization of a
// namespace; a nil webhook leaves out none, so that a walk notes the
// Kustomizations rendered before it was found.
func (w *substituteWebhook) leavesOut(namespace string) bool {
	return w != nil && w.excluded[namespace]
}

// objectData returns the data of a ConfigMap, or the decoded data and
// stringData of a Secret, and whether it is a Secret's.
func objectData(o *model.Object) (map[string]string, bool) {
	out := map[string]string{}
	data, _ := o.Content["data"].(map[string]any)
	secret := o.Ref.Kind == "Secret"
	for k, v := range data {
		s := fmt.Sprint(v)
		if secret {
			raw, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				continue
			}
			s = string(raw)
		}
		out[k] = s
	}
	if secret {
		strData, _ := o.Content["stringData"].(map[string]any)
		for k, v := range strData {
			out[k] = fmt.Sprint(v)
		}
	}
	return out, secret
}

// withSubstitute returns a copy of a Kustomization's content whose
// spec.postBuild.substitute has vars over its own.
func withSubstitute(content map[string]any, vars map[string]any) map[string]any {
	out := maps.Clone(content)
	spec, _ := content["spec"].(map[string]any)
	spec = maps.Clone(spec)
	if spec == nil {
		spec = map[string]any{}
	}
	postBuild, _ := spec["postBuild"].(map[string]any)
	postBuild = maps.Clone(postBuild)
	if postBuild == nil {
		postBuild = map[string]any{}
	}
	substitute, _ := postBuild["substitute"].(map[string]any)
	substitute = maps.Clone(substitute)
	if substitute == nil {
		substitute = map[string]any{}
	}
	maps.Copy(substitute, vars)
	postBuild["substitute"] = substitute
	spec["postBuild"] = postBuild
	out["spec"] = spec
	return out
}

// asMap returns v as a map, or nil.
func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
