package operator

import (
	"fmt"
	"maps"

	"sigs.k8s.io/yaml"
)

// chartDefaults are the instance values of the flux-instance chart's
// values.yaml (controlplaneio-fluxcd/charts, charts/flux-instance), which
// the values of a HelmRelease override.
func chartDefaults() map[string]any {
	return map[string]any{
		"distribution": map[string]any{
			"version":            "2.x",
			"registry":           "ghcr.io/fluxcd",
			"artifact":           "oci://ghcr.io/controlplaneio-fluxcd/flux-operator-manifests:latest",
			"artifactPullSecret": "", "imagePullSecret": "", "variant": "",
		},
		"components": []any{"source-controller", "kustomize-controller", "helm-controller", "notification-controller"},
		"cluster": map[string]any{
			"type": "kubernetes", "size": "", "domain": "cluster.local",
			"networkPolicy": true, "multitenant": false, "tenantDefaultServiceAccount": "default",
		},
		"commonMetadata": map[string]any{"labels": map[string]any{}, "annotations": map[string]any{}},
		"storage":        map[string]any{"class": "", "size": ""},
		"sharding":       map[string]any{"key": "sharding.fluxcd.io/key", "shards": []any{}},
		"sync": map[string]any{
			"interval": "1m", "kind": "GitRepository", "url": "", "ref": "", "path": "",
			"pullSecret": "", "name": "", "provider": "",
		},
		"kustomize": map[string]any{"patches": []any{}},
	}
}

// FluxInstanceFromChartValues returns the FluxInstance that the
// flux-instance chart (templates/instance.yaml) renders from a
// HelmRelease's values in the release namespace. The chart maps
// values.instance.X to spec.X: distribution (version, registry, artifact,
// and artifactPullSecret, imagePullSecret and variant when set),
// components, cluster (without empty strings), commonMetadata (when it has
// labels or annotations), kustomize, sync (only when sync.url is set; name
// and provider when set; pullSecret is "<name>-pull" when
// sync.pullSecretStringData is set), storage (when storage.size is set) and
// sharding (when it has shards). The object is named after
// values.fullnameOverride, "flux" by default. Values the chart writes
// unquoted are printed and parsed back as YAML, as Helm does.
func FluxInstanceFromChartValues(values map[string]any, namespace string) map[string]any {
	in := mergeValues(chartDefaults(), mapAt(values, "instance"))
	name := "flux"
	if s, ok := values["fullnameOverride"].(string); ok && s != "" {
		name = s
	}
	spec := map[string]any{
		"distribution": chartDistribution(mapAt(in, "distribution")),
		"components":   in["components"],
		"cluster":      chartCluster(mapAt(in, "cluster")),
		"kustomize":    in["kustomize"],
	}
	labels, annotations := mapAt(in, "commonMetadata", "labels"), mapAt(in, "commonMetadata", "annotations")
	if len(labels) > 0 || len(annotations) > 0 {
		cm := map[string]any{}
		if len(labels) > 0 {
			cm["labels"] = labels
		}
		if len(annotations) > 0 {
			cm["annotations"] = annotations
		}
		spec["commonMetadata"] = cm
	}
	if sync := chartSync(mapAt(in, "sync"), name); sync != nil {
		spec["sync"] = sync
	}
	if truthy(field(in, "storage", "size")) {
		spec["storage"] = in["storage"]
	}
	if shards := listAt(in, "sharding", "shards"); len(shards) > 0 {
		spec["sharding"] = map[string]any{"key": unquoted(field(in, "sharding", "key")), "shards": shards}
	}
	return map[string]any{
		"apiVersion": groupVersion,
		"kind":       kindFluxInstance,
		"metadata":   map[string]any{"name": name, "namespace": namespace},
		"spec":       spec,
	}
}

// chartDistribution maps instance.distribution; the version is quoted.
func chartDistribution(d map[string]any) map[string]any {
	out := map[string]any{
		"version":  versionString(d["version"]),
		"registry": unquoted(d["registry"]),
		"artifact": unquoted(d["artifact"]),
	}
	for _, k := range []string{"artifactPullSecret", "imagePullSecret", "variant"} {
		if truthy(d[k]) {
			out[k] = unquoted(d[k])
		}
	}
	return out
}

// chartCluster maps instance.cluster, leaving out empty strings.
func chartCluster(c map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range c {
		if s, ok := v.(string); ok && s == "" {
			continue
		}
		out[k] = unquoted(v)
	}
	return out
}

// chartSync maps instance.sync, or returns nil when sync.url is not set.
func chartSync(s map[string]any, fullname string) map[string]any {
	if !truthy(s["url"]) {
		return nil
	}
	out := map[string]any{}
	for _, k := range []string{"kind", "interval", "url", "ref", "path"} {
		out[k] = unquoted(s[k])
	}
	for _, k := range []string{"name", "provider"} {
		if truthy(s[k]) {
			out[k] = unquoted(s[k])
		}
	}
	switch {
	case truthy(s["pullSecretStringData"]):
		out["pullSecret"] = fullname + "-pull"
	case truthy(s["pullSecret"]):
		out["pullSecret"] = unquoted(s["pullSecret"])
	}
	return out
}

// mergeValues overrides the defaults with values as Helm coalesces them:
// maps merge key by key, other values replace, and null deletes.
func mergeValues(defaults, values map[string]any) map[string]any {
	out := maps.Clone(defaults)
	for k, v := range values {
		if v == nil {
			delete(out, k)
			continue
		}
		dm, dok := out[k].(map[string]any)
		vm, vok := v.(map[string]any)
		if dok && vok {
			out[k] = mergeValues(dm, vm)
			continue
		}
		out[k] = v
	}
	return out
}

// unquoted returns v as the chart's unquoted {{ v }} leaves it: printed,
// then parsed as YAML, so "1.0" becomes a number and "true" a boolean.
func unquoted(v any) any {
	if v == nil {
		return nil
	}
	var out any
	if err := yaml.Unmarshal([]byte(fmt.Sprint(v)), &out); err != nil {
		return fmt.Sprint(v)
	}
	return out
}

// truthy reports whether a value is set as Go templates see it.
func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case string:
		return v != ""
	case bool:
		return v
	case []any:
		return len(v) > 0
	case map[string]any:
		return len(v) > 0
	default:
		return true
	}
}
