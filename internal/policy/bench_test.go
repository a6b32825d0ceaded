package policy

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/monorepo"
	"github.com/fluxlint/fluxlint/internal/source"
)

// benchRepo writes a cluster of n objects: Deployments, Services,
// ConfigMaps, Secrets and HelmRepositories, one file of each kind a
// hundred objects.
func benchRepo(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	files := map[string]*strings.Builder{}
	for i := range n {
		var kind, doc string
		switch i % 5 {
		case 0:
			kind = "deployment"
			doc = fmt.Sprintf("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%d\n  namespace: apps\nspec:\n  selector:\n    matchLabels: {app: app-%d}\n  template:\n    metadata:\n      labels: {app: app-%d}\n    spec:\n      containers:\n        - name: app\n          image: ghcr.io/example/app:1.%d.0\n          ports: [{containerPort: 8080}]\n", i, i, i, i)
		case 1:
			kind = "service"
			doc = fmt.Sprintf("apiVersion: v1\nkind: Service\nmetadata:\n  name: app-%d\n  namespace: apps\nspec:\n  selector: {app: app-%d}\n  ports: [{port: 80, targetPort: 8080}]\n", i, i-1)
		case 2:
			kind = "configmap"
			doc = fmt.Sprintf("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-%d\n  namespace: apps\ndata:\n  a: \"1\"\n  b: two\n", i)
		case 3:
			kind = "secret"
			doc = fmt.Sprintf("apiVersion: v1\nkind: Secret\nmetadata:\n  name: s-%d\n  namespace: apps\nstringData:\n  token: t%d\n", i, i)
		default:
			kind = "helmrepository"
			doc = fmt.Sprintf("apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: repo-%d\n  namespace: apps\nspec:\n  interval: 1h\n  url: https://charts.example.com/%d\n", i, i)
		}
		if files[kind] == nil {
			files[kind] = &strings.Builder{}
		}
		files[kind].WriteString("---\n" + doc)
	}
	var resources []string
	for kind, body := range files {
		name := kind + ".yaml"
		resources = append(resources, "  - "+name)
		write(b, filepath.Join(dir, "clusters/bench", name), body.String())
	}
	write(b, filepath.Join(dir, "clusters/bench/kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"+strings.Join(resources, "\n")+"\n")
	return dir
}

func write(b *testing.B, path, body string) {
	b.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkBuiltins evaluates the built-in rules over a rendered cluster of
// about 500 objects, and reports the render time of that cluster beside it.
// flux-cluster is a cluster of internal/monorepo's repository: 55 apps, each a
// Flux Kustomization with base and overlay and a HelmRelease of a local
// chart, as fluxlint is meant to check. plain-manifests is the worst case
// for the ratio: 500 objects in five files of one kustomization, whose
// render is a single kustomize build, with workloads that break most rules.
func BenchmarkBuiltins(b *testing.B) {
	b.Run("flux-cluster", func(b *testing.B) {
		dir := b.TempDir()
		if err := monorepo.Write(dir, monorepo.Generate(1, 55)); err != nil {
			b.Fatal(err)
		}
		benchBuiltins(b, dir, "clusters/cluster-00")
	})
	b.Run("plain-manifests", func(b *testing.B) {
		benchBuiltins(b, benchRepo(b, 500), "clusters/bench")
	})
}

// benchBuiltins renders the cluster at path five times, then evaluates the
// built-in rules over it b.N times, and reports the ratio of the two in
// wall and CPU time.
func benchBuiltins(b *testing.B, dir, path string) {
	ctx := context.Background()
	repo, err := source.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	const renders = 5
	start, startCPU := time.Now(), cpuTime(b)
	var c *model.Cluster
	for range renders {
		c = flux.Render(ctx, repo, flux.NewSources(repo, nil), flux.Entry{Name: "bench", Path: path})
	}
	render := time.Since(start) / renders
	renderCPU := (cpuTime(b) - startCPU) / renders
	if n := len(c.Objects); n < 450 || n > 550 {
		b.Fatalf("rendered %d objects, want about 500: %v", n, c.Findings)
	}
	e, err := New(ctx, Options{})
	if err != nil {
		b.Fatal(err)
	}
	var findings int
	b.ResetTimer()
	checkCPU := cpuTime(b)
	for b.Loop() {
		e.reported.Store(true)
		findings = len(e.Check(ctx, c))
	}
	b.StopTimer()
	checkCPU = (cpuTime(b) - checkCPU) / time.Duration(b.N)
	perCheck := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(len(c.Objects)), "objects")
	b.ReportMetric(float64(findings), "findings")
	b.ReportMetric(float64(render.Milliseconds()), "render-ms")
	b.ReportMetric(float64(perCheck)/float64(render), "check/render")
	// CPU time of the process, which other processes on a shared machine
	// do not inflate as they do wall time.
	b.ReportMetric(float64(checkCPU)/float64(renderCPU), "check/render-cpu")
}

// cpuTime returns the CPU time (user and system) this process has used.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
