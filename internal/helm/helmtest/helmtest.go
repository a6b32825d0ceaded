// Package helmtest serves chart repositories on 127.0.0.1 for tests: an
// index.yaml and chart archives packaged from charts the test writes.
package helmtest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/registry"
	repo "helm.sh/helm/v4/pkg/repo/v1"

	ggcrregistry "github.com/google/go-containerregistry/pkg/registry"
)

// A Chart is a small chart for tests: templates by file name, default
// values as YAML, and an optional values.schema.json.
type Chart struct {
	Name, Version string
	Templates     map[string]string
	Values        string
	Schema        string
	// Dependencies are listed in Chart.yaml, not vendored.
	Dependencies []*chart.Dependency
}

// A Server is a chart repository on 127.0.0.1.
type Server struct {
	*httptest.Server
	// Requests counts the HTTP requests served.
	Requests atomic.Int64
}

// Serve packages the charts and serves them with an index.yaml. The server
// stops when the test ends.
func Serve(t *testing.T, charts ...Chart) *Server {
	t.Helper()
	dir := t.TempDir()
	index := repo.NewIndexFile()
	for _, c := range charts {
		path, err := chartutil.Save(c.build(), dir)
		if err != nil {
			t.Fatalf("package chart %s: %v", c.Name, err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if err := index.MustAdd(c.build().Metadata, filepath.Base(path), "", hex.EncodeToString(sum[:])); err != nil {
			t.Fatalf("index chart %s: %v", c.Name, err)
		}
	}
	if err := index.WriteFile(filepath.Join(dir, "index.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &Server{}
	files := http.FileServer(http.Dir(dir))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Requests.Add(1)
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (c Chart) build() *chart.Chart {
	ch := &chart.Chart{
		Metadata: &chart.Metadata{APIVersion: chart.APIVersionV2, Name: c.Name, Version: c.Version, Type: "application", Dependencies: c.Dependencies},
		Values:   map[string]any{},
	}
	if c.Values != "" {
		v, err := common.ReadValues([]byte(c.Values))
		if err != nil {
			panic(fmt.Sprintf("chart %s values: %v", c.Name, err))
		}
		ch.Values = v
		ch.Raw = append(ch.Raw, &common.File{Name: "values.yaml", Data: []byte(c.Values)})
	}
	if c.Schema != "" {
		ch.Schema = []byte(c.Schema)
	}
	for name, body := range c.Templates {
		ch.Templates = append(ch.Templates, &common.File{Name: "templates/" + name, Data: []byte(body)})
	}
	return ch
}

// A Registry is an OCI registry on 127.0.0.1 holding charts.
type Registry struct {
	*httptest.Server
	// Host is host:port, for oci://HOST/... URLs.
	Host string
	// Requests counts the HTTP requests served.
	Requests atomic.Int64
}

// ServeOCI starts an in-process OCI registry and pushes each chart to
// HOST/<repo>/<chart name>:<version>. The registry stops when the test ends.
func ServeOCI(t *testing.T, repoPath string, charts ...Chart) *Registry {
	t.Helper()
	r := &Registry{}
	reg := ggcrregistry.New(ggcrregistry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.Requests.Add(1)
		reg.ServeHTTP(w, req)
	}))
	t.Cleanup(srv.Close)
	r.Server, r.Host = srv, strings.TrimPrefix(srv.URL, "http://")
	client, err := registry.NewClient(registry.ClientOptPlainHTTP(), registry.ClientOptWriter(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, c := range charts {
		path, err := chartutil.Save(c.build(), dir)
		if err != nil {
			t.Fatalf("package chart %s: %v", c.Name, err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ref := fmt.Sprintf("%s/%s/%s:%s", r.Host, repoPath, c.Name, c.Version)
		if _, err := client.Push(data, ref, registry.PushOptStrictMode(false)); err != nil {
			t.Fatalf("push %s: %v", ref, err)
		}
	}
	return r
}

// Package writes the chart as a packaged archive (NAME-VERSION.tgz) into
// dir and returns its path.
func Package(t *testing.T, c Chart, dir string) string {
	t.Helper()
	path, err := chartutil.Save(c.build(), dir)
	if err != nil {
		t.Fatalf("package chart %s: %v", c.Name, err)
	}
	return path
}
