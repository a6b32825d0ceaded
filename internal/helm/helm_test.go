package helm_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v4/pkg/chart/loader"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	repo "helm.sh/helm/v4/pkg/repo/v1"

	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/helm/helmtest"
)

func demoChart(version string) helmtest.Chart {
	return helmtest.Chart{
		Name: "demo", Version: version,
		Values: "replicas: 1\nimage: nginx:1.27\n",
		Templates: map[string]string{
			"deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: demo}
  template:
    metadata:
      labels: {app: demo}
    spec:
      containers:
        - name: demo
          image: {{ .Values.image }}
`,
			"fail.yaml": `{{ if .Values.broken }}{{ fail "broken must not be set" }}{{ end }}`,
		},
	}
}

func TestRepositoriesDownloadCacheAndOffline(t *testing.T) {
	srv := helmtest.Serve(t, demoChart("1.0.0"), demoChart("1.2.0"), demoChart("2.0.0-rc.1"))
	cache := &helm.Cache{Dir: t.TempDir()}
	ctx := context.Background()

	online := helm.NewRepositories(cache, false)
	data, version, err := online.Chart(ctx, srv.URL, "demo", "")
	if err != nil {
		t.Fatal(err)
	}
	if version != "1.2.0" {
		t.Errorf("latest stable = %s, want 1.2.0 (prereleases excluded)", version)
	}
	if _, err := loader.LoadArchive(bytes.NewReader(data)); err != nil {
		t.Fatalf("downloaded archive does not load: %v", err)
	}
	if _, _, err := online.Chart(ctx, srv.URL, "demo", "1.0.0"); err != nil {
		t.Fatal(err)
	}
	indexFetches := srv.Requests.Load()
	if indexFetches != 3 {
		t.Errorf("%d requests, want 3: the index once per run and two charts", indexFetches)
	}

	offline := helm.NewRepositories(cache, true)
	if _, version, err := offline.Chart(ctx, srv.URL, "demo", "~1.2"); err != nil || version != "1.2.0" {
		t.Errorf("offline from the cache: version %q, err %v", version, err)
	}
	if srv.Requests.Load() != indexFetches {
		t.Error("an offline run touched the network")
	}
	empty := helm.NewRepositories(&helm.Cache{Dir: t.TempDir()}, true)
	if _, _, err := empty.Chart(ctx, srv.URL, "demo", ""); !errors.Is(err, helm.ErrOffline) {
		t.Errorf("offline with an empty cache: err %v, want ErrOffline", err)
	}
	if _, _, err := online.Chart(ctx, srv.URL, "demo", ">=3"); err == nil || !strings.Contains(err.Error(), "no version matches") {
		t.Errorf("unmatched constraint: err %v", err)
	}
}

func TestPickVersionSemantics(t *testing.T) {
	now := time.Now()
	mk := func(v string, age time.Duration) *repo.ChartVersion {
		return &repo.ChartVersion{Metadata: &chart.Metadata{Name: "c", Version: v}, Created: now.Add(-age)}
	}
	versions := repo.ChartVersions{mk("1.0.0", 3*time.Hour), mk("1.1.0", 2*time.Hour), mk("2.0.0-beta.1", time.Hour), mk("v1.1.0", 0)}
	cases := []struct {
		name, constraint, want string
	}{
		{name: "empty is latest stable", constraint: "", want: "v1.1.0"},
		{name: "star is latest stable", constraint: "*", want: "v1.1.0"},
		{name: "exact string first", constraint: "1.1.0", want: "1.1.0"},
		{name: "range", constraint: "<1.1.0", want: "1.0.0"},
		{name: "prerelease asked for", constraint: ">=2.0.0-0", want: "2.0.0-beta.1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := helm.PickVersion(versions, c.constraint)
			if err != nil {
				t.Fatal(err)
			}
			if got.Version != c.want {
				t.Errorf("got %s, want %s", got.Version, c.want)
			}
		})
	}
}

func TestTemplateFailAndValues(t *testing.T) {
	srv := helmtest.Serve(t, demoChart("1.0.0"))
	data, _, err := helm.NewRepositories(&helm.Cache{Dir: t.TempDir()}, false).Chart(context.Background(), srv.URL, "demo", "1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := loader.LoadArchive(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	ch := loaded.(*chart.Chart)
	out, err := helm.Template(context.Background(), helm.Release{Chart: ch, Name: "web", Namespace: "apps", KubeVersion: "1.37", Values: map[string]any{"replicas": 3}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 || out[0].Template != "demo/templates/deployment.yaml" {
		t.Fatalf("manifests = %+v", out)
	}
	spec := out[0].Content["spec"].(map[string]any)
	if spec["replicas"] != float64(3) && spec["replicas"] != int64(3) && spec["replicas"] != 3 {
		t.Errorf("replicas = %#v, want the value given (3)", spec["replicas"])
	}
	_, err = helm.Template(context.Background(), helm.Release{Chart: ch, Name: "web", Namespace: "apps", KubeVersion: "1.37", Values: map[string]any{"broken": true}})
	if err == nil || !strings.Contains(err.Error(), "broken must not be set") {
		t.Errorf("fail in a template: err %v, want the chart's message", err)
	}
}

func TestOCIChartTagSemverDigestAndOffline(t *testing.T) {
	reg := helmtest.ServeOCI(t, "charts", demoChart("1.0.0"), demoChart("1.3.0"), demoChart("2.0.0"))
	cache := &helm.Cache{Dir: t.TempDir()}
	ctx := context.Background()
	url := "oci://" + reg.Host + "/charts/demo"
	online := helm.NewRepositories(cache, false)

	cases := []struct {
		name string
		ref  helm.OCIRef
		want string
	}{
		{name: "tag", ref: helm.OCIRef{Tag: "1.0.0"}, want: "1.0.0"},
		{name: "semver range", ref: helm.OCIRef{SemVer: "1.x"}, want: "1.3.0"},
		{name: "newest", ref: helm.OCIRef{SemVer: "*"}, want: "2.0.0"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data, version, err := online.OCIChart(ctx, url, c.ref)
			if err != nil {
				t.Fatal(err)
			}
			loaded, err := loader.LoadArchive(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if got := loaded.(*chart.Chart).Metadata.Version; got != c.want || version != c.want {
				t.Errorf("pulled %s (reported %s), want %s", got, version, c.want)
			}
		})
	}

	reg.Close()
	offline := helm.NewRepositories(cache, true)
	if _, version, err := offline.OCIChart(ctx, url, helm.OCIRef{SemVer: "1.x"}); err != nil || version != "1.3.0" {
		t.Errorf("offline from the cache: version %q, err %v", version, err)
	}
	empty := helm.NewRepositories(&helm.Cache{Dir: t.TempDir()}, true)
	if _, _, err := empty.OCIChart(ctx, url, helm.OCIRef{Tag: "1.0.0"}); !errors.Is(err, helm.ErrOffline) {
		t.Errorf("offline with an empty cache: err %v, want ErrOffline", err)
	}
}

func TestTemplateValuesSchemaViolations(t *testing.T) {
	ch := &chart.Chart{Metadata: &chart.Metadata{APIVersion: "v2", Name: "demo", Version: "1.0.0"},
		Values: map[string]any{"replicas": 1},
		Schema: []byte(`{"type":"object","properties":{"replicas":{"type":"integer"},"image":{"type":"object","properties":{"tag":{"type":"string"}}}}}`)}
	_, err := helm.Template(context.Background(), helm.Release{Chart: ch, Name: "x", Namespace: "y", KubeVersion: "1.37",
		Values: map[string]any{"replicas": "many", "image": map[string]any{"tag": 5}}})
	var se *helm.SchemaError
	if !errors.As(err, &se) {
		t.Fatalf("err %v, want a SchemaError", err)
	}
	got := map[string]string{}
	for _, v := range se.Violations {
		got[strings.Join(v.Path, ".")] = v.Message
	}
	if len(got) != 2 || !strings.Contains(got["replicas"], "want integer") || !strings.Contains(got["image.tag"], "want string") {
		t.Errorf("violations = %v", got)
	}
}
