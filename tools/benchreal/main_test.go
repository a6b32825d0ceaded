package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	chartutil "helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/engine"
	"sigs.k8s.io/yaml"
)

func TestPickVersion(t *testing.T) {
	cases := map[string]string{
		"":              "1.0.0",
		"*":             "1.0.0",
		"6.5.4":         "6.5.4",
		"v1.20.2":       "v1.20.2",
		"1.x":           "1.0.0",
		">=6.0.0":       "6.0.0",
		">= 1.8.0-rc.0": "1.8.0-rc.0",
		"<2.0.0":        "1.0.0",
		">6.0.0 <7":     "6.0.1",
		"~3.2":          "3.2.0",
	}
	for in, want := range cases {
		got, err := pickVersion(in)
		if err != nil || got != want {
			t.Errorf("pickVersion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := pickVersion("not a version"); err == nil {
		t.Error("pickVersion of nonsense: no error")
	}
}

func TestRewriteURLsWholeValuesOnly(t *testing.T) {
	f := filepath.Join(t.TempDir(), "sources.yaml")
	in := "spec:\n  url: oci://ghcr.io/rook/rook-ceph\n---\nspec:\n  url: \"oci://ghcr.io/rook/rook-ceph-cluster\" # pinned\n  other: oci://ghcr.io/rook/rook-ceph\n"
	if err := os.WriteFile(f, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	n, err := rewriteURLs([]repoFile{{Root: filepath.Dir(f), Rel: filepath.Base(f)}}, map[string]string{"oci://ghcr.io/rook/rook-ceph": "oci://127.0.0.1:1/ghcr.io/rook/rook-ceph"})
	if err != nil || n != 1 {
		t.Fatalf("rewrote %d lines, err %v; want 1", n, err)
	}
	data, _ := os.ReadFile(f)
	want := "spec:\n  url: oci://127.0.0.1:1/ghcr.io/rook/rook-ceph\n---\nspec:\n  url: \"oci://ghcr.io/rook/rook-ceph-cluster\" # pinned\n  other: oci://ghcr.io/rook/rook-ceph\n"
	if string(data) != want {
		t.Errorf("got\n%s\nwant\n%s", data, want)
	}
}

const testRepo = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: app
spec:
  url: oci://ghcr.io/example/charts/app
  ref:
    tag: 2.1.0
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: podinfo
spec:
  url: https://stefanprodan.github.io/podinfo/
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
spec:
  chart:
    spec:
      chart: podinfo
      version: ">=6.0.0"
      sourceRef:
        kind: HelmRepository
        name: podinfo
`

// TestSetupServesAndRewrites fills a server from a repository and reads the
// charts back in plain HTTP (as fluxlint does) and in TLS (as flate does).
func TestSetupServesAndRewrites(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "sources.yaml")
	if err := os.WriteFile(file, []byte(testRepo), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := newServer(context.Background(), "127.0.0.1:0", 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.ln.Close() })
	p, err := setup(srv, []string{root})
	if err != nil {
		t.Fatal(err)
	}
	if p.oci != 1 || p.http != 1 || p.rewritten != 2 {
		t.Errorf("plan %+v: want 1 OCI chart, 1 HTTP chart, 2 URLs rewritten", p)
	}
	data, _ := os.ReadFile(file)
	for _, want := range []string{"url: oci://" + srv.Host() + "/ghcr.io/example/charts/app\n", "url: http://" + srv.Host() + "/helm/stefanprodan.github.io/podinfo\n"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("rewritten file lacks %q:\n%s", want, data)
		}
	}
	before := srv.requests.Load() // the pushes
	index := get(t, http.DefaultClient, "http://"+srv.Host()+"/helm/stefanprodan.github.io/podinfo/index.yaml")
	if !strings.Contains(index, "version: 6.0.0") || !strings.Contains(index, "podinfo-6.0.0.tgz") {
		t.Errorf("index.yaml lacks podinfo 6.0.0:\n%s", index)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(srv.CertPEM)
	tlsClient := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	if tags := get(t, tlsClient, "https://"+srv.Host()+"/v2/ghcr.io/example/charts/app/tags/list"); !strings.Contains(tags, `"2.1.0"`) {
		t.Errorf("tags over TLS: %s", tags)
	}
	if n := srv.requests.Load() - before; n != 2 {
		t.Errorf("requests counted: %d, want 2", n)
	}
}

func get(t *testing.T, c *http.Client, url string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return string(body)
}

// TestStandInRendersCommonValues renders the stand-in chart with
// app-template's controllers, with a plain image and with values of the
// wrong shape, which must not fail the render.
func TestStandInRendersCommonValues(t *testing.T) {
	cases := []struct {
		name, values string
		want         []string
	}{
		{name: "app-template controllers", values: `
controllers:
  web:
    containers:
      app:
        image: {repository: ghcr.io/x/web, tag: 1.2.3}
        env: {TZ: Europe/Paris, PORT: 8080}
        resources: {requests: {cpu: 10m}, limits: {memory: 1Gi}}
service:
  port: 8080
`, want: []string{"name: rel-web", `image: "ghcr.io/x/web:1.2.3"`, `value: "8080"`, `cpu: "10m"`, "port: 8080", "name: rel-values"}},
		{name: "plain image", values: "image: {repository: nginx, tag: \"1.27\"}\nreplicaCount: 3\nfullnameOverride: web\n",
			want: []string{"name: web\n", `image: "nginx:1.27"`, "replicas: 3"}},
		{name: "wrong shapes", values: "image: nginx\nservice: true\nresources: [1]\ncontrollers: {main: 3}\n",
			want: []string{"name: rel\n", `image: "registry.example/demo:1.0.0"`, "port: 80"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch, err := standIn("demo", "1.0.0")
			if err != nil {
				t.Fatal(err)
			}
			var vals map[string]any
			if err := yaml.Unmarshal([]byte(c.values), &vals); err != nil {
				t.Fatal(err)
			}
			rv, err := chartutil.ToRenderValues(ch, vals, common.ReleaseOptions{Name: "rel", Namespace: "apps"}, common.DefaultCapabilities)
			if err != nil {
				t.Fatal(err)
			}
			out, err := engine.Render(ch, rv)
			if err != nil {
				t.Fatal(err)
			}
			all := ""
			for _, s := range out {
				all += "\n---\n" + s + "\n"
			}
			for _, w := range c.want {
				if !strings.Contains(all, w) {
					t.Errorf("render lacks %q:\n%s", w, all)
				}
			}
			var objs int
			for _, doc := range strings.Split(all, "\n---") {
				var obj map[string]any
				if err := yaml.Unmarshal([]byte(doc), &obj); err != nil {
					t.Fatalf("rendered YAML does not parse: %v\n%s", err, doc)
				}
				if obj != nil {
					objs++
				}
			}
			if objs < 3 {
				t.Errorf("%d objects rendered, want a Deployment, a Service and a ConfigMap at least", objs)
			}
		})
	}
}

// TestSetupKeepsSameNamedSources serves both tags when two repositories
// declare an OCIRepository of the same name and URL with different tags.
func TestSetupKeepsSameNamedSources(t *testing.T) {
	var roots []string
	for _, tag := range []string{"v1.20.2", "v1.21.1"} {
		root := t.TempDir()
		doc := "apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: cert-manager\nspec:\n  url: oci://quay.io/jetstack/charts/cert-manager\n  ref:\n    tag: " + tag + "\n"
		if err := os.WriteFile(filepath.Join(root, "oci.yaml"), []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		roots = append(roots, root)
	}
	srv, err := newServer(context.Background(), "127.0.0.1:0", 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.ln.Close() })
	p, err := setup(srv, roots)
	if err != nil {
		t.Fatal(err)
	}
	if p.oci != 2 || p.rewritten != 2 {
		t.Errorf("plan %+v: want 2 charts pushed, 2 URLs rewritten", p)
	}
	tags := get(t, http.DefaultClient, "http://"+srv.Host()+"/v2/quay.io/jetstack/charts/cert-manager/tags/list")
	if !strings.Contains(tags, `"v1.20.2"`) || !strings.Contains(tags, `"v1.21.1"`) {
		t.Errorf("tags: %s, want both", tags)
	}
}
