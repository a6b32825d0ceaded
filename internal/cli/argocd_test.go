package cli

import (
	"strings"
	"testing"
)

// TestCheckArgoCDRepository checks that a repository that Argo CD applies
// (Applications, and no Flux object that its clusters render: an example
// Flux Kustomization under contrib/ deploys none of them) is refused with
// one clear line, not checked as a Flux cluster under clusters/ with false
// errors, and that a Flux repository that also holds an Argo CD object is
// checked.
func TestCheckArgoCDRepository(t *testing.T) {
	app := "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n  namespace: argocd\nspec:\n  project: default\n"
	files := map[string]string{
		"clusters/talos/apps/kustomization.yaml": "resources: [app.yaml]\n",
		"clusters/talos/apps/app.yaml":           app,
		"clusters/talos/apps/values.yaml":        "applications: {}\n",
		"contrib/flux/ks.yaml": "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: example\n  namespace: flux-system\n" +
			"spec:\n  interval: 1h\n  path: ./clusters/non-existent\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: k8s-gitops\n",
	}
	code, out := runCmd(t, "check", writeRepo(t, files), "--offline")
	if code != ExitError || !strings.Contains(out, "it holds Argo CD objects (clusters/talos/apps/app.yaml) and none of its clusters renders a Flux object") {
		t.Errorf("exit %d, want 2 and the Argo CD refusal:\n%s", code, out)
	}
	files["clusters/talos/apps/ks.yaml"] = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: web\n  namespace: flux-system\n" +
		"spec:\n  interval: 1h\n  path: ./clusters/talos/apps\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n"
	if code, out := runCmd(t, "check", writeRepo(t, files), "--offline"); strings.Contains(out, "Argo CD") {
		t.Errorf("exit %d: a Flux repository was refused as Argo CD's:\n%s", code, out)
	}
}

// TestCheckArgoCDRepositoryWarm checks that a Flux repository whose only
// Flux objects are HelmReleases its cluster renders, beside an Argo CD
// object, is checked on a warm run too, when its cluster comes from the
// result cache without its objects.
func TestCheckArgoCDRepositoryWarm(t *testing.T) {
	app := "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n  namespace: argocd\nspec:\n  project: default\n"
	hr := "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: default\nspec:\n  interval: 1h\n" +
		"  chart:\n    spec:\n      chart: web\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n"
	repo := writeRepo(t, map[string]string{
		"clusters/talos/apps/kustomization.yaml": "resources: [app.yaml, hr.yaml]\n",
		"clusters/talos/apps/app.yaml":           app,
		"clusters/talos/apps/hr.yaml":            hr,
	})
	cache := t.TempDir()
	for _, run := range []string{"cold", "warm"} {
		if code, out := runCmd(t, "check", repo, "--offline", "--cache-dir", cache); strings.Contains(out, "Argo CD") {
			t.Errorf("%s run, exit %d: a Flux repository was refused as Argo CD's:\n%s", run, code, out)
		}
	}
}

// TestCheckArgoCDAppOfAppsChart checks that a repository whose Argo CD
// Applications are written in a Helm chart's templates (the app of apps),
// which do not parse as objects, is refused as Argo CD's, and that its
// charts' templates are not checked as folders of manifests.
func TestCheckArgoCDAppOfAppsChart(t *testing.T) {
	files := map[string]string{
		"apps/Chart.yaml":  "apiVersion: v2\nname: apps\nversion: 1.0.0\n",
		"apps/values.yaml": "applications:\n  - name: web\n    namespace: web\n",
		"apps/templates/app.yaml": "{{- range $app := .Values.applications }}\n---\napiVersion: argoproj.io/v1alpha1\nkind: Application\n" +
			"metadata:\n  name: {{ $app.name }}\n  namespace: argocd\nspec:\n  project: default\n{{- end }}\n",
		"web/Chart.yaml":          "apiVersion: v2\nname: web\nversion: 1.0.0\n",
		"web/templates/conf.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: conf\n  labels:\n    app.kubernetes.io/instance: {{ $.Release.Name }}\n",
	}
	code, out := runCmd(t, "check", writeRepo(t, files), "--offline")
	if code != ExitError || !strings.Contains(out, "it holds Argo CD objects (apps/templates/app.yaml)") {
		t.Errorf("exit %d, want 2 and the Argo CD refusal:\n%s", code, out)
	}
}
