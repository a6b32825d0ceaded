package lsp

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/diskcache"
)

// copyCorpus copies a repository of ../shared/corpora into a temporary
// folder, so that a test or benchmark may change its files; it skips when
// the corpus is not available.
func copyCorpus(tb testing.TB, name string) string {
	tb.Helper()
	src, err := filepath.Abs(filepath.Join(corpora, name))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := os.Stat(src); err != nil {
		tb.Skip("corpus not available")
	}
	root := tb.TempDir()
	if root, err = filepath.EvalSymlinks(root); err != nil {
		tb.Fatal(err)
	}
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(root, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(root, rel), data, 0o644)
	})
	if err != nil {
		tb.Fatal(err)
	}
	return root
}

// buroaRelease is the HelmRelease the corpus benchmark saves, and the
// reference it breaks and fixes in turn.
const (
	buroaRelease = "kubernetes/apps/networking/echo-server/app/helmrelease.yaml"
	buroaChart   = "    name: app-template\n"
	buroaBroken  = "    name: app-templat\n"
)

// BenchmarkSaveCorpus measures what an editor waits for after saving a
// HelmRelease of a copy of the buroa-k8s-gitops corpus (one cluster, about
// 70 Flux Kustomizations and 400 objects), offline, with an empty chart
// cache and a cache folder as fluxlint lsp keeps one: from didSave to the
// saved file's new diagnostics. Each save breaks or fixes the release's
// chartRef, so that its diagnostics change. It reports the median and the
// 90th percentile besides the mean.
func BenchmarkSaveCorpus(b *testing.B) {
	root := copyCorpus(b, "buroa-k8s-gitops")
	dir := b.TempDir()
	ed, stop := startServerWith(b, func(root string) (check.Config, check.Deps, error) {
		return check.Config{Path: root, Offline: true}, check.Deps{Store: &diskcache.Store{Dir: dir}}, nil
	})
	defer stop()
	if err := ed.conn.Call(context.Background(), "initialize",
		map[string]any{"processId": nil, "rootUri": fileURI(root), "capabilities": map[string]any{}}, nil); err != nil {
		b.Fatalf("initialize: %v", err)
	}
	ed.notify("initialized", map[string]any{})
	path := filepath.Join(root, filepath.FromSlash(buroaRelease))
	uri := fileURI(path)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	good := string(data)
	if !strings.Contains(good, buroaChart) {
		b.Fatalf("%s no longer names its chart as the benchmark expects", buroaRelease)
	}
	bad := strings.Replace(good, buroaChart, buroaBroken, 1)
	ed.waitFor(uri, func(p published) bool { return mentions(p, "app-template") })
	var times []time.Duration
	cpu := cpuTime()
	b.ResetTimer()
	for i := range b.N {
		text, want := bad, "app-templat "
		if i%2 == 1 {
			text, want = good, "app-template"
		}
		start := time.Now()
		writeFile(b, path, text)
		ed.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
		ed.waitFor(uri, func(p published) bool { return mentions(p, want) })
		times = append(times, time.Since(start))
	}
	b.StopTimer()
	reportTimes(b, times, cpuTime()-cpu)
}

// reportTimes reports the median and the 90th percentile of the times a
// benchmark measured, and the process's CPU time per operation: on a
// shared machine, other processes stretch the wall time, not the CPU time.
func reportTimes(b *testing.B, times []time.Duration, cpu time.Duration) {
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(times[len(times)*9/10].Microseconds())/1000, "ms-p90")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(len(times)), "cpu-ms/op")
	}
}

// mentions reports whether a diagnostic of p has text in its message.
func mentions(p published, text string) bool {
	for _, d := range p.Diagnostics {
		if strings.Contains(d.Message, text) {
			return true
		}
	}
	return false
}
