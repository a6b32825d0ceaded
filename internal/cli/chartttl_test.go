package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/fluxlint/fluxlint/internal/helm/helmtest"
)

// swappable is a chart server whose content the test replaces: it
// forwards to the current backend and counts requests.
type swappable struct {
	backend  atomic.Pointer[httputil.ReverseProxy]
	requests atomic.Int64
}

func (s *swappable) serve(t *testing.T, srv *helmtest.Server) {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	s.backend.Store(httputil.NewSingleHostReverseProxy(u))
}

func (s *swappable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	s.backend.Load().ServeHTTP(w, r)
}

// TestWarmRunWithRemoteChartsTouchesNothing checks a repository whose
// chart comes from a chart repository: a warm run restores its cluster
// from the result cache without a request; after the TTL the range is
// resolved again (one request for the index) and the record stands while
// it resolves the same; a new version in the index invalidates it.
func TestWarmRunWithRemoteChartsTouchesNothing(t *testing.T) {
	front := &swappable{}
	front.serve(t, helmtest.Serve(t, demoChart()))
	srv := httptest.NewServer(front)
	t.Cleanup(srv.Close)
	repo := writeRepo(t, helmRepo(srv.URL))
	cache := t.TempDir()
	t.Setenv("FLUXLINT_STATS", "1")
	run := func(extra ...string) (string, string, int64) {
		t.Helper()
		before := front.requests.Load()
		var stdout, stderr bytes.Buffer
		args := append([]string{"check", repo, "--cache-dir", cache, "--no-color"}, extra...)
		if code := Run(context.Background(), args, &stdout, &stderr); code > 1 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		return stdout.String(), stderr.String(), front.requests.Load() - before
	}
	cold, coldStats, n := run()
	if n != 2 || !strings.Contains(coldStats, "results-v1 0/1 reused") {
		t.Fatalf("cold run: %d requests, stats %q; want 2 (index, archive) and nothing reused", n, coldStats)
	}
	warm, warmStats, n := run()
	if n != 0 || !strings.Contains(warmStats, "results-v1 1/1 reused") || warm != cold {
		t.Errorf("warm run: %d requests, stats %q, same output %v; want 0 requests, the cluster restored", n, warmStats, warm == cold)
	}
	expired, stats, n := run("--chart-ttl", "1ns")
	if n != 1 || !strings.Contains(stats, "results-v1 1/1 reused") || expired != cold {
		t.Errorf("after the TTL: %d requests, stats %q; want the index asked again and the cluster restored", n, stats)
	}
	if _, stats, n = run("--refresh"); n != 1 || !strings.Contains(stats, "results-v1 1/1 reused") {
		t.Errorf("--refresh: %d requests, stats %q; want the index asked again", n, stats)
	}
	newer := demoChart()
	newer.Version = "1.5.0"
	front.serve(t, helmtest.Serve(t, demoChart(), newer))
	if _, stats, n = run("--chart-ttl", "1ns"); n != 2 || !strings.Contains(stats, "results-v1 0/1 reused") {
		t.Errorf("a new version in range: %d requests, stats %q; want index and archive fetched, the cluster rendered again", n, stats)
	}
	if _, stats, n = run(); n != 0 || !strings.Contains(stats, "results-v1 1/1 reused") {
		t.Errorf("warm again: %d requests, stats %q", n, stats)
	}
}

// TestUnreachableChartRememberedAcrossRuns checks that a chart that
// cannot be had is reported again from the cache folder, with a hint at
// --refresh, without being asked; once the failure is remembered, the
// cluster comes from the result cache.
func TestUnreachableChartRememberedAcrossRuns(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	var requests atomic.Int64
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		http.NotFound(w, r)
	})
	t.Cleanup(srv.Close)
	repo := writeRepo(t, helmRepo(srv.URL))
	cache := t.TempDir()
	t.Setenv("FLUXLINT_STATS", "1")
	var stats string
	check := func(extra ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		Run(context.Background(), append([]string{"check", repo, "--cache-dir", cache, "--no-color"}, extra...), &stdout, &stderr)
		stats = stderr.String()
		return stdout.String()
	}
	first := check()
	if requests.Load() != 1 || !strings.Contains(first, "[helm-chart-unavailable]") {
		t.Fatalf("first run: %d requests:\n%s", requests.Load(), first)
	}
	second := check()
	if requests.Load() != 1 || !strings.Contains(second, "remembered") || !strings.Contains(second, "--refresh") {
		t.Errorf("second run: %d requests in all, want 1 and the failure remembered:\n%s", requests.Load(), second)
	}
	if third := check(); third != second || !strings.Contains(stats, "results-v1 1/1 reused") {
		t.Errorf("third run: stats %q, same output %v; want the cluster restored", stats, third == second)
	}
	check("--refresh")
	if requests.Load() != 2 {
		t.Errorf("--refresh: %d requests in all, want 2", requests.Load())
	}
}

// TestOfflineRunWithUncachedChartIsRestored checks that a chart --offline
// keeps from being fetched fails the same way on the next offline run, so
// the cluster comes from the result cache; once a run online has cached
// the chart, the record no longer stands and the chart is rendered.
func TestOfflineRunWithUncachedChartIsRestored(t *testing.T) {
	srv := helmtest.Serve(t, demoChart())
	repo := writeRepo(t, helmRepo(srv.URL))
	cache := t.TempDir()
	t.Setenv("FLUXLINT_STATS", "1")
	check := func(extra ...string) (string, string) {
		t.Helper()
		var stdout, stderr bytes.Buffer
		Run(context.Background(), append([]string{"check", repo, "--cache-dir", cache, "--no-color"}, extra...), &stdout, &stderr)
		return stdout.String(), stderr.String()
	}
	first, _ := check("--offline")
	if !strings.Contains(first, "--offline") {
		t.Fatalf("first offline run: want the chart unavailable offline:\n%s", first)
	}
	second, stats := check("--offline")
	if second != first || !strings.Contains(stats, "results-v1 1/1 reused") {
		t.Errorf("second offline run: stats %q, same output %v; want the cluster restored", stats, second == first)
	}
	if online, _ := check(); strings.Contains(online, "--offline") {
		t.Fatalf("online run: the chart is still unavailable:\n%s", online)
	}
	if cached, stats := check("--offline"); strings.Contains(cached, "--offline") || !strings.Contains(stats, "results-v1 0/1 reused") {
		t.Errorf("offline run with the chart cached: stats %q; want the chart rendered, not the old record:\n%s", stats, cached)
	}
}

func TestChartTTLConfigMayOnlyLengthen(t *testing.T) {
	for value, ok := range map[string]bool{"30m": true, "10m": true, "1m": false, "soon": false} {
		_, err := Config{ChartTTL: value}.chartTTL()
		if (err == nil) != ok {
			t.Errorf("chartTTL %q: error %v, want ok=%v", value, err, ok)
		}
	}
}
