package helm_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/helm/helmtest"
)

// clock is a settable time for Repositories.Now.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

// runOf is one run's fetcher over a shared cache folder.
func runOf(dir string, c *clock, refresh bool) *helm.Repositories {
	r := helm.NewRepositories(&helm.Cache{Dir: dir}, false)
	r.Now, r.Refresh = c.Now, refresh
	return r
}

func TestChartResolutionsKeptForTheTTL(t *testing.T) {
	srv := helmtest.Serve(t, demoChart("1.0.0"), demoChart("1.2.0"))
	dir, c := t.TempDir(), &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	ctx := context.Background()
	fetch := func(r *helm.Repositories, constraint, want string) int64 {
		t.Helper()
		before := srv.Requests.Load()
		if _, version, err := r.Chart(ctx, srv.URL, "demo", constraint); err != nil || version != want {
			t.Fatalf("Chart(%q) = %s, %v; want %s", constraint, version, err, want)
		}
		return srv.Requests.Load() - before
	}

	first := runOf(dir, c, false)
	if n := fetch(first, "~1.0", "1.0.0") + fetch(first, "1.2.0", "1.2.0"); n != 3 {
		t.Errorf("cold run made %d requests, want 3 (the index once, two archives)", n)
	}
	c.now = c.now.Add(9 * time.Minute)
	warm := runOf(dir, c, false)
	if n := fetch(warm, "~1.0", "1.0.0") + fetch(warm, "1.2.0", "1.2.0"); n != 0 {
		t.Errorf("warm run within the TTL made %d requests, want 0", n)
	}
	c.now = c.now.Add(2 * time.Minute)
	late := runOf(dir, c, false)
	if n := fetch(late, "1.2.0", "1.2.0"); n != 0 {
		t.Errorf("an exact version made %d requests after the TTL, want 0 (its archive is cached)", n)
	}
	if n := fetch(late, "~1.0", "1.0.0"); n != 1 {
		t.Errorf("a range after the TTL made %d requests, want 1 (the index again)", n)
	}
	refresh := runOf(dir, c, true)
	if n := fetch(refresh, "~1.0", "1.0.0") + fetch(refresh, "1.2.0", "1.2.0"); n != 1 {
		t.Errorf("--refresh made %d requests, want 1 (the index, once per run; archives are cached)", n)
	}
}

func TestOCIResolutionsKeptForTheTTL(t *testing.T) {
	reg := helmtest.ServeOCI(t, "charts", demoChart("1.0.0"), demoChart("1.3.0"))
	url := "oci://" + reg.Host + "/charts/demo"
	dir, c := t.TempDir(), &clock{now: time.Now()}
	ctx := context.Background()
	fetch := func(r *helm.Repositories, ref helm.OCIRef, want string) int64 {
		t.Helper()
		before := reg.Requests.Load()
		if _, version, err := r.OCIChart(ctx, url, ref); err != nil || version != want {
			t.Fatalf("OCIChart(%+v) = %s, %v; want %s", ref, version, err, want)
		}
		return reg.Requests.Load() - before
	}
	rangeRef, exactRef := helm.OCIRef{SemVer: "1.x"}, helm.OCIRef{Tag: "1.0.0"}
	if n := fetch(runOf(dir, c, false), rangeRef, "1.3.0"); n == 0 {
		t.Fatal("cold run made no request")
	}
	fetch(runOf(dir, c, false), exactRef, "1.0.0")
	c.now = c.now.Add(5 * time.Minute)
	warm := runOf(dir, c, false)
	if n := fetch(warm, rangeRef, "1.3.0") + fetch(warm, exactRef, "1.0.0"); n != 0 {
		t.Errorf("warm run within the TTL made %d requests, want 0", n)
	}
	c.now = c.now.Add(6 * time.Minute)
	late := runOf(dir, c, false)
	if n := fetch(late, exactRef, "1.0.0"); n != 0 {
		t.Errorf("an exact tag made %d requests after the TTL, want 0", n)
	}
	if n := fetch(late, rangeRef, "1.3.0"); n == 0 {
		t.Error("a semver range after the TTL made no request, want the tags listed again")
	}
	if n := fetch(runOf(dir, c, true), rangeRef, "1.3.0"); n == 0 {
		t.Error("--refresh made no request")
	}
}

func TestFailuresRememberedForTheTTL(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		http.NotFound(w, nil)
	}))
	t.Cleanup(srv.Close)
	dir, c := t.TempDir(), &clock{now: time.Now()}
	ctx := context.Background()
	try := func(r *helm.Repositories) error {
		t.Helper()
		_, _, err := r.Chart(ctx, srv.URL, "demo", "1.0.0")
		if err == nil {
			t.Fatal("a chart of an empty repository was had")
		}
		return err
	}
	if err := try(runOf(dir, c, false)); strings.Contains(err.Error(), "remembered") || requests.Load() != 1 {
		t.Fatalf("first run: %v after %d requests, want a fresh failure after 1", err, requests.Load())
	}
	err := try(runOf(dir, c, false))
	if requests.Load() != 1 || !strings.Contains(err.Error(), "remembered") || !strings.Contains(err.Error(), "--refresh") {
		t.Errorf("second run within the TTL: %v after %d requests, want the remembered failure naming --refresh, no request", err, requests.Load())
	}
	if !strings.Contains(err.Error(), "404") {
		t.Errorf("remembered failure %q lost the cause", err)
	}
	try(runOf(dir, c, true))
	if requests.Load() != 2 {
		t.Errorf("--refresh: %d requests in all, want 2", requests.Load())
	}
	c.now = c.now.Add(helm.DefaultChartTTL + time.Second)
	try(runOf(dir, c, false))
	if requests.Load() != 3 {
		t.Errorf("after the TTL: %d requests in all, want 3", requests.Load())
	}
}

func TestUnreachableHostTriedOncePerTTL(t *testing.T) {
	l, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close() // nothing listens there now: connections are refused
	dir, c := t.TempDir(), &clock{now: time.Now()}
	ctx := context.Background()
	if _, _, err := runOf(dir, c, false).Chart(ctx, "http://"+addr+"/a", "demo", "1.0.0"); err == nil || strings.Contains(err.Error(), "remembered") {
		t.Fatalf("first run: %v, want a fresh failure", err)
	}
	// Another repository on the same host is not tried either.
	_, _, err = runOf(dir, c, false).Chart(ctx, "http://"+addr+"/b", "other", "~1")
	if err == nil || !strings.Contains(err.Error(), "remembered") || !strings.Contains(err.Error(), addr) {
		t.Errorf("second run: %v, want the host's failure remembered", err)
	}
	c.now = c.now.Add(helm.DefaultChartTTL)
	if _, _, err := runOf(dir, c, false).Chart(ctx, "http://"+addr+"/b", "other", "~1"); err == nil || strings.Contains(err.Error(), "remembered") {
		t.Errorf("after the TTL: %v, want the host tried again", err)
	}
}
