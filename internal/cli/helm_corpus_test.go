package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/helm/helmtest"
)

// standIn is a small chart under the name and version of a real one.
func standIn(name, version string) helmtest.Chart {
	return helmtest.Chart{
		Name: name, Version: version, Values: "replicaCount: 1\n",
		Templates: map[string]string{"configmap.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-standin
data:
  chart: {{ .Chart.Name }}-{{ .Chart.Version }}
`},
	}
}

// TestCorpusKustomizeHelmExampleRendersEveryHelmRelease renders Flux's
// reference repository against a chart server and an OCI registry on
// 127.0.0.1 that serve stand-in charts under the real names and versions,
// through chartMirrors; then again offline with an empty cache.
func TestCorpusKustomizeHelmExampleRendersEveryHelmRelease(t *testing.T) {
	dir := filepath.Join(corpora, "flux2-kustomize-helm-example")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("corpus not available")
	}
	charts := helmtest.Serve(t, standIn("podinfo", "6.9.0"), standIn("podinfo", "6.10.0-rc.1"))
	reg := helmtest.ServeOCI(t, "mirror", standIn("cert-manager", "1.18.2"), standIn("gateway-helm", "1.8.0"))
	cfg := filepath.Join(t.TempDir(), "fluxlint.yaml")
	config := "chartMirrors:\n" +
		"  https://stefanprodan.github.io/podinfo: " + charts.URL + "\n" +
		"  oci://quay.io/jetstack/charts: oci://" + reg.Host + "/mirror\n" +
		"  oci://docker.io/envoyproxy: oci://" + reg.Host + "/mirror\n"
	if err := os.WriteFile(cfg, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}

	run := func(extra ...string) jsonOut {
		t.Helper()
		var stdout, stderr bytes.Buffer
		args := append([]string{"check", dir, "--format", "json", "--config", cfg}, extra...)
		if code := Run(context.Background(), args, &stdout, &stderr); code == ExitError {
			t.Fatalf("exit 2: %s", stderr.String())
		}
		var out jsonOut
		if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	online := run("--cache-dir", t.TempDir())
	for _, c := range online.Clusters {
		if c.HelmReleases != 3 || c.Rendered != 3 {
			t.Errorf("%s: %d of %d HelmReleases rendered, want 3 of 3", c.Name, c.Rendered, c.HelmReleases)
		}
	}
	if online.Summary.Errors != 0 {
		t.Errorf("errors on the reference repository: %+v", online.Findings)
	}

	offline := run("--cache-dir", t.TempDir(), "--offline")
	unavailable := 0
	for _, f := range offline.Findings {
		if f.Rule == "helm-chart-unavailable" {
			unavailable++
			if !strings.Contains(f.Message, "--offline") {
				t.Errorf("unavailable chart finding does not say why: %s", f.Message)
			}
		}
	}
	if unavailable != 6 {
		t.Errorf("%d helm-chart-unavailable findings offline, want 6 (3 HelmReleases in 2 clusters)", unavailable)
	}
	if offline.Summary.Errors != 0 {
		t.Errorf("offline with an empty cache gives errors: %+v", offline.Findings)
	}
}

// TestCorpusGitopsDemoHelmReleases: the three whoami HelmReleases render
// from the chart in this repository (through GitRepositories that point at
// it), with the value patches of their parent Kustomizations; Traefik and
// Weave GitOps, from remote repositories, are one warning each offline.
func TestCorpusGitopsDemoHelmReleases(t *testing.T) {
	dir := filepath.Join(corpora, "gitops-fluxcd-demo")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("corpus not available")
	}
	releases := []struct {
		name, path string
	}{
		// patched by services/localhost's patchesJson6902
		{name: "example/whoami-helmchart", path: "PathPrefix(`/test2/`)"},
		// patched by spec.patches of its Flux Kustomization
		{name: "example/whoami-helmrelease-indirect-1", path: "PathPrefix(`/test/`)"},
		// its own inline value
		{name: "example/whoami-helmrelease-indirect-2", path: "PathPrefix(`/whoami-helm4/`)"},
	}
	for _, r := range releases {
		t.Run(r.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Run(context.Background(), []string{"render", dir, "--helmrelease", r.name, "--offline"}, &stdout, &stderr); code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			out := stdout.String()
			for _, want := range []string{"kind: Deployment", "kind: Service", "kind: IngressRoute", "> HelmRelease/" + r.name + "\n", "# Template: whoami/templates/", r.path} {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q", want)
				}
			}
		})
	}
	out, _ := checkCorpus(t, "gitops-fluxcd-demo")
	for _, f := range out.Findings {
		if strings.HasPrefix(f.Rule, "helm-") && f.Severity == "error" {
			t.Errorf("HelmRelease error: %s %s", f.Rule, f.Message)
		}
	}
	for _, file := range []string{"fluxcd/infrastructure/base/traefik/install/traefik.yaml", "fluxcd/infrastructure/base/weave/install/weave.yaml"} {
		n := 0
		for _, f := range out.Findings {
			if f.Rule == "helm-chart-unavailable" && f.Position.File == file && f.Severity == "info" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: %d helm-chart-unavailable findings of severity info offline, want 1", file, n)
		}
	}
}
