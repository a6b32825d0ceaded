package cli

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	chart "helm.sh/helm/v4/pkg/chart/v2"

	"github.com/fluxlint/fluxlint/internal/helm/helmtest"
)

// helmRepo is a repository whose HelmRelease takes its chart from a chart
// server started by the test, and part of its values from a ConfigMap that a
// configMapGenerator makes with a hash suffix, kept in step with the
// HelmRelease by a nameReference configuration.
func helmRepo(url string) map[string]string {
	return map[string]string{
		"clusters/dev/apps.yaml": `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
		"apps/kustomization.yaml": `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: web
resources:
  - namespace.yaml
  - release.yaml
configMapGenerator:
  - name: web-values
    files:
      - values.yaml=web-values.yaml
configurations:
  - kustomizeconfig.yaml
`,
		"apps/kustomizeconfig.yaml": `nameReference:
  - kind: ConfigMap
    version: v1
    fieldSpecs:
      - path: spec/valuesFrom/name
        kind: HelmRelease
`,
		"apps/web-values.yaml": "image: nginx:1.27-from-configmap\n",
		"apps/namespace.yaml":  "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n",
		"apps/release.yaml": `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
spec:
  interval: 1h
  url: ` + url + `
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  interval: 1h
  chart:
    spec:
      chart: demo
      version: "1.x"
      sourceRef:
        kind: HelmRepository
        name: charts
  valuesFrom:
    - kind: ConfigMap
      name: web-values
  values:
    replicas: many
`,
	}
}

func demoChart() helmtest.Chart {
	return helmtest.Chart{
		Name: "demo", Version: "1.4.0",
		Values: "replicas: 1\nimage: nginx:1.27\n",
		Templates: map[string]string{"deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas | quote }}
  selector:
    matchLabels: {app: demo}
  template:
    metadata:
      labels: {app: demo}
    spec:
      containers:
        - name: demo
          image: {{ .Values.image }}
`},
	}
}

func TestHelmReleaseFromChartRepository(t *testing.T) {
	srv := helmtest.Serve(t, demoChart())
	repo := writeRepo(t, helmRepo(srv.URL))
	cache := t.TempDir()

	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), []string{"render", repo, "--cluster", "dev", "--cache-dir", cache}, &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("render: exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		"image: nginx:1.27-from-configmap", // valuesFrom through the hash-suffixed generator name
		"# Rendered by: Kustomization/flux-system/apps > HelmRelease/web/web",
		"# Template: demo/templates/deployment.yaml",
		"helm.toolkit.fluxcd.io/name: web",
		"namespace: web",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("render output lacks %q:\n%s", want, out)
		}
	}

	stdout.Reset()
	Run(context.Background(), []string{"check", repo, "--cache-dir", cache, "--no-color"}, &stdout, &stderr)
	// replicas: "many" breaks the Deployment schema; the finding points at
	// the inline value of the HelmRelease that caused it (line 26).
	if !strings.Contains(stdout.String(), "apps/release.yaml\n") || !regexp.MustCompile(`26:5 +error +Deployment/web/web: invalid value`).MatchString(stdout.String()) {
		t.Errorf("the schema finding is not traced to the inline value:\n%s", stdout.String())
	}

	// Offline with the cache filled: the same render, no request.
	before := srv.Requests.Load()
	stdout.Reset()
	if code := Run(context.Background(), []string{"render", repo, "--cluster", "dev", "--cache-dir", cache, "--offline"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("offline render: exit %d: %s", code, stderr.String())
	}
	if srv.Requests.Load() != before || !strings.Contains(stdout.String(), "nginx:1.27-from-configmap") {
		t.Error("an offline run with a filled cache touched the network or lost the release")
	}

	// Offline with an empty cache: one warning at the chart line, naming
	// the command that fills the cache; nothing else changes.
	stdout.Reset()
	code = Run(context.Background(), []string{"check", repo, "--cache-dir", t.TempDir(), "--offline", "--no-color"}, &stdout, &stderr)
	got := stdout.String()
	if code != ExitOK || strings.Count(got, "[helm-chart-unavailable]") != 1 || !strings.Contains(got, "fluxlint charts pull") {
		t.Errorf("offline with an empty cache (exit %d):\n%s", code, got)
	}
}

func TestChartsPullFillsTheCacheForOfflineRuns(t *testing.T) {
	srv := helmtest.Serve(t, demoChart())
	repo := writeRepo(t, helmRepo(srv.URL))
	cache := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), []string{"charts", "pull", repo, "--cache-dir", cache}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("charts pull: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "1 of 1 HelmReleases have their chart") {
		t.Errorf("pull summary: %s", stdout.String())
	}
	srv.Close()
	stdout.Reset()
	if code := Run(context.Background(), []string{"render", repo, "--helmrelease", "web/web", "--cache-dir", cache, "--offline"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("offline render after pull: exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "kind: Deployment") || strings.Contains(stdout.String(), "kind: Namespace") {
		t.Errorf("--helmrelease prints exactly the chart's output:\n%s", stdout.String())
	}
}

func TestHelmValuesFindingsPointAtTheirLines(t *testing.T) {
	schemaChart := demoChart()
	schemaChart.Name = "strict"
	schemaChart.Schema = `{"type": "object", "properties": {"replicas": {"type": "integer"}}}`
	srv := helmtest.Serve(t, schemaChart)
	files := helmRepo(srv.URL)
	files["apps/release.yaml"] = strings.NewReplacer("chart: demo", "chart: strict").Replace(files["apps/release.yaml"]) + `---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: other
spec:
  interval: 1h
  chart:
    spec:
      chart: strict
      sourceRef:
        kind: HelmRepository
        name: charts
  valuesFrom:
    - kind: Secret
      name: not-there
`
	repo := writeRepo(t, files)
	var stdout, stderr bytes.Buffer
	Run(context.Background(), []string{"check", repo, "--cache-dir", t.TempDir(), "--no-color"}, &stdout, &stderr)
	out := stdout.String()
	for _, want := range []string{
		// replicas: many, on line 26, breaks the chart's schema.
		`26:5 +error +HelmRelease/web/web: value replicas breaks the values schema of chart strict 1.4.0: got string, want integer \[helm-values-schema\]`,
		// valuesFrom[0] of the second release, on line 41, names nothing.
		`41:7 +error +HelmRelease/web/other: values: .*not-there.* \[helm-values\]`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
}

func TestLocalChartWithValuesFiles(t *testing.T) {
	repo := writeRepo(t, map[string]string{
		"clusters/dev/apps.yaml": `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
  namespace: default
spec:
  interval: 1h
  chart:
    spec:
      chart: ./charts/app
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
      valuesFiles:
        - charts/app/values.yaml
        - charts/app/values-prod.yaml
        - charts/app/values-missing.yaml
      ignoreMissingValuesFiles: true
  values:
    color: blue
`,
		"charts/app/Chart.yaml":       "apiVersion: v2\nname: app\nversion: 0.1.0\n",
		"charts/app/values.yaml":      "size: small\ncolor: red\ntier: web\n",
		"charts/app/values-prod.yaml": "size: large\n",
		"charts/app/templates/cm.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}
data:
  size: {{ .Values.size }}
  color: {{ .Values.color }}
  tier: {{ .Values.tier }}
`,
	})
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), []string{"render", repo, "--cluster", "dev", "--offline"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, want := range []string{"size: large", "color: blue", "tier: web", "# Template: app/templates/cm.yaml"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, stdout.String())
		}
	}
}

// TestLocalPackagedChart renders HelmReleases whose chart path in the
// bootstrap GitRepository names a packaged chart archive, which the
// source-controller's local builder serves as it is, or repackages with
// the values of valuesFiles read from the source root.
func TestLocalPackagedChart(t *testing.T) {
	repo := writeRepo(t, map[string]string{
		"clusters/dev/apps.yaml": `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: plain
  namespace: default
spec:
  interval: 1h
  chart:
    spec:
      chart: charts/demo-1.4.0.tgz
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: valued
  namespace: default
spec:
  interval: 1h
  chart:
    spec:
      chart: ./charts/demo-1.4.0.tgz
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
      valuesFiles:
        - values/prod.yaml
`,
		"values/prod.yaml": "image: nginx:from-values-file\n",
	})
	helmtest.Package(t, demoChart(), filepath.Join(repo, "charts"))
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), []string{"render", repo, "--cluster", "dev", "--offline"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d: %s\n%s", code, stderr.String(), stdout.String())
	}
	out := stdout.String()
	for _, want := range []string{"name: plain", "image: nginx:1.27", "name: valued", "image: nginx:from-values-file", "# Template: demo/templates/deployment.yaml"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestChartCapabilitiesNameBuiltinKinds renders a chart that picks a
// PodDisruptionBudget's apiVersion by .Capabilities.APIVersions.Has
// "policy/v1/PodDisruptionBudget", as the grafana chart does: a cluster's
// discovery lists each built-in kind, and so must the render.
func TestChartCapabilitiesNameBuiltinKinds(t *testing.T) {
	repo := writeRepo(t, map[string]string{
		"clusters/dev/apps.yaml": `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
  namespace: default
spec:
  interval: 1h
  chart:
    spec:
      chart: ./charts/app
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
`,
		"charts/app/Chart.yaml": "apiVersion: v2\nname: app\nversion: 0.1.0\n",
		"charts/app/templates/pdb.yaml": `{{- if .Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget" }}
apiVersion: policy/v1
{{- else }}
apiVersion: policy/v1beta1
{{- end }}
kind: PodDisruptionBudget
metadata:
  name: {{ .Release.Name }}
spec:
  maxUnavailable: 1
  selector:
    matchLabels: {app: app}
`,
	})
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), []string{"render", repo, "--cluster", "dev", "--offline"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if out := stdout.String(); !strings.Contains(out, "apiVersion: policy/v1\n") || strings.Contains(out, "policy/v1beta1") {
		t.Errorf("the chart did not see policy/v1/PodDisruptionBudget:\n%s", out)
	}
}

func TestChartDependenciesFromRepositories(t *testing.T) {
	srv := helmtest.Serve(t, demoChart())
	reg := helmtest.ServeOCI(t, "deps", demoChart())
	umbrella := func(repo string) helmtest.Chart {
		return helmtest.Chart{Name: "umbrella", Version: "0.1.0", Values: "demo:\n  image: nginx:from-umbrella\n",
			Dependencies: []*chart.Dependency{{Name: "demo", Version: "1.x", Repository: repo}}}
	}
	cases := []struct {
		name string
		repo string
	}{
		{name: "HTTP repository", repo: srv.URL},
		{name: "OCI repository", repo: "oci://" + reg.Host + "/deps"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			parent := helmtest.Serve(t, umbrella(c.repo))
			files := helmRepo(parent.URL)
			files["apps/release.yaml"] = strings.Replace(files["apps/release.yaml"], "chart: demo", "chart: umbrella", 1)
			files["apps/release.yaml"] = strings.Replace(files["apps/release.yaml"], `version: "1.x"`, `version: "0.1.0"`, 1)
			files["apps/release.yaml"] = strings.Replace(files["apps/release.yaml"], "replicas: many", "demo:\n      replicas: 2", 1)
			repo := writeRepo(t, files)
			var stdout, stderr bytes.Buffer
			if code := Run(context.Background(), []string{"render", repo, "--helmrelease", "web/web", "--cache-dir", t.TempDir()}, &stdout, &stderr); code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			for _, want := range []string{"# Template: umbrella/charts/demo/templates/deployment.yaml", "image: nginx:from-umbrella", `replicas: "2"`} {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, stdout.String())
				}
			}
			cache := t.TempDir()
			// Each check after a change to the repository, with the cache
			// and without it: the cold one, one where the archives' facts
			// and the render come from the cache (the archives are not
			// loaded), one with other values (the chart, not loaded yet, is
			// loaded with its dependency), and one with the facts damaged.
			check := func(step string) {
				t.Helper()
				var outs [2]string
				for i, extra := range []string{"--cache-dir=" + cache, "--no-cache"} {
					var stdout, stderr bytes.Buffer
					if code := Run(context.Background(), []string{"check", repo, "--no-color", "--format", "json", extra}, &stdout, &stderr); code > 1 {
						t.Fatalf("%s: exit %d: %s", step, code, stderr.String())
					}
					outs[i] = stdout.String()
				}
				if outs[0] != outs[1] || !strings.Contains(outs[0], "invalid value") {
					t.Errorf("%s: with the cache:\n%s\nwithout (want the same, a Deployment's invalid replicas):\n%s", step, outs[0], outs[1])
				}
			}
			write := func(name, text string) {
				t.Helper()
				if err := os.WriteFile(filepath.Join(repo, name), []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			check("cold")
			write("apps/namespace.yaml", files["apps/namespace.yaml"]+"  labels: {a: b}\n")
			check("facts kept")
			write("apps/release.yaml", strings.Replace(files["apps/release.yaml"], "replicas: 2", "replicas: 3", 1))
			check("other values")
			damageRecords(t, filepath.Join(cache, "helm-chart-v1"))
			write("apps/namespace.yaml", files["apps/namespace.yaml"])
			check("facts damaged")
		})
	}
}

// damageRecords overwrites every file below dir, of which there must be
// some, with bytes that are no record.
func damageRecords(t *testing.T, dir string) {
	t.Helper()
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		return os.WriteFile(p, []byte("damaged"), 0o600)
	})
	if err != nil || n == 0 {
		t.Fatalf("damage the records in %s: %d files, %v", dir, n, err)
	}
}
