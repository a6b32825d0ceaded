package operator

import (
	"fmt"
	"strings"
)

// FluxInstanceSync returns the source and Kustomization that Flux Operator
// generates for a FluxInstance's spec.sync. (Interim version, replaced by
// the complete builder.)
func FluxInstanceSync(fi map[string]any) ([]map[string]any, error) {
	sync, _ := get(fi, "spec", "sync").(map[string]any)
	if sync == nil {
		return nil, nil
	}
	s := func(k string) string { v, _ := sync[k].(string); return v }
	ns, _ := get(fi, "metadata", "namespace").(string)
	if ns == "" {
		ns = "flux-system"
	}
	name := s("name")
	if name == "" {
		name = ns
	}
	kind := s("kind")
	spec := map[string]any{"interval": orDefault(s("interval"), "1m")}
	switch kind {
	case "GitRepository":
		spec["ref"] = map[string]any{"name": s("ref")}
		spec["url"] = s("url")
	case "OCIRepository":
		spec["ref"] = map[string]any{"tag": s("ref")}
		spec["url"] = s("url")
	case "Bucket":
		spec["bucketName"] = s("ref")
		spec["endpoint"] = s("url")
	default:
		return nil, fmt.Errorf("spec.sync.kind %q is not GitRepository, OCIRepository or Bucket", kind)
	}
	if p := s("pullSecret"); p != "" {
		spec["secretRef"] = map[string]any{"name": p}
	}
	if p := s("provider"); p != "" {
		spec["provider"] = p
	}
	meta := map[string]any{"name": name, "namespace": ns}
	src := map[string]any{"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": kind, "metadata": meta, "spec": spec}
	ks := map[string]any{"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
		"metadata": map[string]any{"name": name, "namespace": ns},
		"spec": map[string]any{"interval": "10m0s", "path": s("path"), "prune": true,
			"sourceRef": map[string]any{"kind": kind, "name": name}}}
	return []map[string]any{src, ks}, nil
}

// FluxInstanceFromChartValues builds the FluxInstance that the flux-instance
// chart makes from its values: instance.X becomes spec.X.
func FluxInstanceFromChartValues(values map[string]any, namespace string) map[string]any {
	spec, _ := values["instance"].(map[string]any)
	return map[string]any{"apiVersion": "fluxcd.controlplane.io/v1", "kind": "FluxInstance",
		"metadata": map[string]any{"name": "flux", "namespace": namespace}, "spec": spec}
}

// DistributionVersion maps spec.distribution.version to an embedded Flux
// minor release ("2.6"), "" for the newest.
func DistributionVersion(fi map[string]any) string {
	v, _ := get(fi, "spec", "distribution", "version").(string)
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	parts := strings.Split(v, ".")
	if len(parts) < 2 || parts[1] == "x" || parts[1] == "*" {
		return ""
	}
	return parts[0] + "." + parts[1]
}

func get(m map[string]any, path ...string) any {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
