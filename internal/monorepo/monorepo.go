// Package monorepo generates a deterministic Flux monorepo of N clusters and
// M apps, for benchmarks: every cluster deploys every app through a Flux
// Kustomization of its own (an overlay over the app's base, with postBuild
// substitutions from a ConfigMap and a Secret), and every app holds a
// HelmRelease of a local chart with values and valuesFrom.
package monorepo

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Generate returns the repository's files by slash-separated path. The
// output depends only on the counts.
func Generate(clusters, apps int) map[string]string {
	files := map[string]string{".fluxlint.yaml": fluxlintConfig}
	for a := range apps {
		addApp(files, a)
	}
	for c := range clusters {
		addCluster(files, c, apps)
	}
	return files
}

func clusterName(c int) string { return fmt.Sprintf("cluster-%02d", c) }

func appName(a int) string { return fmt.Sprintf("app-%04d", a) }

// Write writes files under out, in path order.
func Write(out string, files map[string]string) error {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		full := filepath.Join(out, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o750); err != nil {
			return err
		}
		if err := os.WriteFile(full, []byte(files[p]), 0o600); err != nil {
			return err
		}
	}
	return nil
}

// fill replaces every {{KEY}} of text with its value.
func fill(text string, kv ...string) string {
	pairs := make([]string, 0, len(kv))
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, "{{"+kv[i]+"}}", kv[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

func addCluster(files map[string]string, c, apps int) {
	name := clusterName(c)
	dir := "clusters/" + name + "/"
	files[dir+"flux-system/gotk-sync.yaml"] = fill(gotkSync, "CLUSTER", name)
	files[dir+"flux-system/kustomization.yaml"] = fluxSystemKustomization
	files[dir+"flux-system/namespace.yaml"] = fluxSystemNamespace
	files[dir+"cluster-vars.yaml"] = fill(clusterVars, "CLUSTER", name, "INDEX", fmt.Sprint(c))
	var b strings.Builder
	for a := range apps {
		app := appName(a)
		b.WriteString(fill(appKustomization, "CLUSTER", name, "APP", app, "TIER", tier(a)))
		ov := "apps/overlays/" + name + "/" + app + "/"
		files[ov+"kustomization.yaml"] = fill(overlayKustomization, "CLUSTER", name, "APP", app,
			"REPLICAS", fmt.Sprint(1+(a+c)%3))
		files[ov+"deployment-patch.yaml"] = fill(overlayDeploymentPatch, "APP", app,
			"CPU", fmt.Sprint(50+10*(c%5)))
	}
	files[dir+"apps.yaml"] = b.String()
}

func tier(a int) string {
	return [...]string{"frontend", "backend", "worker"}[a%3]
}

func addApp(files map[string]string, a int) {
	app := appName(a)
	kv := []string{"APP", app, "TIER", tier(a), "PORT", fmt.Sprint(8000 + a%1000), "INDEX", fmt.Sprint(a)}
	base := "apps/base/" + app + "/"
	files[base+"kustomization.yaml"] = baseKustomization
	files[base+"namespace.yaml"] = fill(baseNamespace, kv...)
	files[base+"deployment.yaml"] = fill(baseDeployment, kv...)
	files[base+"service.yaml"] = fill(baseService, kv...)
	files[base+"configmap.yaml"] = fill(baseConfigMap, kv...)
	files[base+"secret.yaml"] = fill(baseSecret, kv...)
	files[base+"helmrelease.yaml"] = fill(baseHelmRelease, kv...)
	chart := "charts/" + app + "/"
	files[chart+"Chart.yaml"] = fill(chartYAML, kv...)
	files[chart+"values.yaml"] = fill(chartValues, kv...)
	files[chart+"templates/_helpers.tpl"] = chartHelpers
	files[chart+"templates/deployment.yaml"] = chartDeployment
	files[chart+"templates/service.yaml"] = chartService
	files[chart+"templates/configmap.yaml"] = chartConfigMap
}
