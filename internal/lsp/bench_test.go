package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/diskcache"
)

// scenario returns a repository of clusters × perCluster Flux
// Kustomizations, each building a folder with a Namespace, a ConfigMap, a
// Deployment and a Service.
func scenario(clusters, perCluster int) map[string]string {
	files := map[string]string{}
	for c := range clusters {
		var ks []string
		for k := range perCluster {
			app := fmt.Sprintf("app-%d-%d", c, k)
			ks = append(ks, strings.NewReplacer("name: apps", "name: "+app, "./apps", "./apps/"+app).Replace(appsKustomization))
			files["apps/"+app+"/kustomization.yaml"] = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: " + app +
				"\nresources:\n  - namespace.yaml\n  - configmap.yaml\n  - deployment.yaml\n  - service.yaml\n"
			files["apps/"+app+"/namespace.yaml"] = strings.ReplaceAll(namespace, "web", app)
			files["apps/"+app+"/configmap.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  LOG_LEVEL: info\n"
			files["apps/"+app+"/deployment.yaml"] = deployment
			files["apps/"+app+"/service.yaml"] = strings.ReplaceAll(service("80"), "  namespace: web\n", "") +
				"  selector:\n    app: web\n"
		}
		files[fmt.Sprintf("clusters/c%d/apps.yaml", c)] = strings.Join(ks, "---\n")
	}
	return files
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          envFrom:
            - configMapRef:
                name: web
          ports:
            - name: http
              containerPort: 80
`

// BenchmarkSave measures what an editor waits for after saving one file of
// a repository of 50 Flux Kustomizations, with the other clusters cached:
// from didSave to the diagnostics of the saved file. The file is broken
// and fixed in turn, so every save changes its diagnostics. It reports the
// median besides the mean. The store variants keep renders in a cache
// folder, as fluxlint lsp does unless --no-cache.
func BenchmarkSave(b *testing.B) {
	for _, layout := range []struct {
		name                 string
		clusters, perCluster int
		store                bool
	}{
		{name: "5-clusters-of-10", clusters: 5, perCluster: 10},
		{name: "1-cluster-of-50", clusters: 1, perCluster: 50},
		{name: "5-clusters-of-10-store", clusters: 5, perCluster: 10, store: true},
		{name: "1-cluster-of-50-store", clusters: 1, perCluster: 50, store: true},
	} {
		b.Run(layout.name, func(b *testing.B) {
			root := writeRepo(b, scenario(layout.clusters, layout.perCluster))
			dir := b.TempDir()
			ed, stop := startServerWith(b, func(root string) (check.Config, check.Deps, error) {
				opts, deps := check.Config{Path: root}, check.Deps{}
				if layout.store {
					deps.Store = &diskcache.Store{Dir: dir}
				}
				return opts, deps, nil
			})
			defer stop()
			if err := ed.conn.Call(context.Background(), "initialize",
				map[string]any{"processId": nil, "rootUri": fileURI(root), "capabilities": map[string]any{}}, nil); err != nil {
				b.Fatalf("initialize: %v", err)
			}
			ed.notify("initialized", map[string]any{})
			svc := filepath.Join(root, "apps", "app-0-0", "service.yaml")
			uri := fileURI(svc)
			good := strings.ReplaceAll(service("80"), "  namespace: web\n", "") + "  selector:\n    app: web\n"
			bad := strings.Replace(good, "port: 80", `port: "eighty"`, 1)
			// The first, full check: diagnostics are published for files
			// with findings only, so break the file to see it end.
			writeFile(b, svc, bad)
			ed.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
			ed.waitFor(uri, func(p published) bool { return len(p.Diagnostics) == 1 })
			var times []time.Duration
			b.ResetTimer()
			for i := range b.N {
				text, want := good, 0
				if i%2 == 1 {
					text, want = bad, 1
				}
				start := time.Now()
				writeFile(b, svc, text)
				ed.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
				ed.waitFor(uri, func(p published) bool { return len(p.Diagnostics) == want })
				times = append(times, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms-median")
		})
	}
}
