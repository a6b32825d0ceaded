package helm_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
)

// sourcesCluster is a cluster that holds only chart sources.
type sourcesCluster map[string]*model.Object

func (c sourcesCluster) Lookup(_, kind, ns, name string) *model.Object {
	return c[kind+"/"+ns+"/"+name]
}
func (c sourcesCluster) Source(_, kind, ns, name string) (*model.Object, *helm.Problem) {
	if o := c[kind+"/"+ns+"/"+name]; o != nil {
		return o, nil
	}
	return nil, &helm.Problem{Message: "no source"}
}
func (c sourcesCluster) Artifact(*model.Object, string) (*render.Artifact, *helm.Problem) {
	return nil, &helm.Problem{Message: "no artifact"}
}
func (c sourcesCluster) Read(string)              {}
func (c sourcesCluster) Objects() []*model.Object { return nil }

func (c sourcesCluster) ExternalArtifact(_, _, _ string) (*render.Artifact, string, *helm.Problem) {
	return nil, "", &helm.Problem{Message: "no ExternalArtifact"}
}

// concurrency is a handler that holds each request until `want` are in
// flight (or a while has passed) and records the most in flight at once.
type concurrency struct {
	mu            sync.Mutex
	inFlight, max int
	total         int
	want          int
	reached       chan struct{}
	// closing closes reached once: in flight may come back to want after
	// requests that waited for the time limit left.
	closing sync.Once
}

func (c *concurrency) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	c.mu.Lock()
	c.inFlight++
	c.total++
	c.max = max(c.max, c.inFlight)
	if c.inFlight == c.want {
		c.closing.Do(func() { close(c.reached) })
	}
	c.mu.Unlock()
	select {
	case <-c.reached:
	case <-time.After(3 * time.Second):
	}
	c.mu.Lock()
	c.inFlight--
	c.mu.Unlock()
	http.NotFound(w, nil)
}

func TestPrefetchFetchesConcurrentlyBoundedOncePerURL(t *testing.T) {
	h := &concurrency{want: helm.PrefetchLimit, reached: make(chan struct{})}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cluster := sourcesCluster{}
	var hrs []*model.Object
	const repos = 12
	for i := range repos {
		name := fmt.Sprintf("r%d", i)
		cluster["HelmRepository/flux-system/"+name] = &model.Object{Content: map[string]any{"spec": map[string]any{"url": srv.URL + "/" + name}}}
		for range 2 { // two releases of each chart: one fetch
			hrs = append(hrs, &model.Object{Ref: finding.ObjectRef{Namespace: "flux-system"}, Content: map[string]any{"spec": map[string]any{
				"chart": map[string]any{"spec": map[string]any{"chart": "demo", "version": "~1",
					"sourceRef": map[string]any{"kind": "HelmRepository", "name": name}}}}}})
		}
	}
	charts := &helm.Charts{Repositories: helm.NewRepositories(&helm.Cache{Dir: t.TempDir()}, false)}
	helm.Prefetch(context.Background(), charts, cluster, hrs)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.max != helm.PrefetchLimit {
		t.Errorf("at most %d index requests were in flight at once, want %d", h.max, helm.PrefetchLimit)
	}
	if h.total != repos {
		t.Errorf("%d index requests, want %d (one per repository)", h.total, repos)
	}
}
