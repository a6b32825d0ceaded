package flux

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
)

// HelmReleases are templated concurrently, and the cluster sees them as if
// rendered one at a time, in order: a release may read what the releases
// before it rendered (a valuesFrom ConfigMap, a chart source, the API
// versions of their CRDs), as Flux's controllers read the live cluster.
//
// So the releases go in waves. The cluster's goroutine prepares the
// releases of a wave one after the other (helm.Prepare: the chart, the
// values, the capabilities), each against the cluster as it is before the
// wave, recording every object it looked up. Workers, at most the bound,
// template them at once (helm.Prepared.Template reads nothing of the
// cluster). The cluster's goroutine then adds them in order; before adding
// a release it checks what the release read: when a release of the wave
// before it added an object the release looked up, or a
// CustomResourceDefinition (which changes its capabilities), the
// speculation is dropped and the release is rendered again against the
// cluster as it is then, exactly as one at a time. A wave ends after a
// release whose chart may define CRDs, so that the releases after it are
// prepared with its CRDs and the common case drops nothing.

// waveFactor times the bound, at most maxWave, is the most releases of a
// wave, which bounds the memory of releases prepared but not yet added.
const (
	waveFactor = 4
	maxWave    = 64
)

// A speculation is a HelmRelease prepared before the releases ahead of it
// in its wave were added.
type speculation struct {
	hr       *model.Object
	rec      *recordingCluster
	prepared *helm.Prepared
	// done is closed once Template returned; panicked is what it panicked
	// with, if it did.
	done     chan struct{}
	panicked any
}

// renderReleasesParallel renders the cluster's HelmReleases in waves,
// templating at most workers at once.
func (c *cluster) renderReleasesParallel(ctx context.Context, hrs []*model.Object, workers int) {
	for len(hrs) > 0 {
		if ctx.Err() != nil {
			return
		}
		wave := c.prepareWave(ctx, hrs, min(waveFactor*workers, maxWave))
		if !c.renderWave(ctx, wave, workers) {
			return
		}
		hrs = hrs[len(wave):]
	}
}

// prepareWave prepares the releases of the next wave: up to most of the
// releases given, up to the first whose chart may define CRDs.
func (c *cluster) prepareWave(ctx context.Context, hrs []*model.Object, most int) []*speculation {
	var wave []*speculation
	for _, hr := range hrs {
		if len(wave) == most || ctx.Err() != nil {
			break
		}
		rec := &recordingCluster{c: c, objects: len(c.objects)}
		s := &speculation{hr: hr, rec: rec, prepared: helm.Prepare(ctx, c.sources.Charts, rec, hr), done: make(chan struct{})}
		wave = append(wave, s)
		if s.prepared.MayDefineCRDs() {
			break
		}
	}
	return wave
}

// renderWave templates a wave's releases, at most workers at once, and
// adds each to the cluster in order as soon as it and those before it are
// done. It returns false when the context ended.
func (c *cluster) renderWave(ctx context.Context, wave []*speculation, workers int) bool {
	var g errgroup.Group
	g.SetLimit(workers)
	launched := make(chan struct{})
	go func() {
		defer close(launched)
		for _, s := range wave {
			g.Go(func() error {
				s.template(ctx)
				return nil
			})
		}
		_ = g.Wait()
	}()
	// The workers touch nothing of the cluster, but none outlives the
	// wave.
	defer func() { <-launched }()
	for _, s := range wave {
		<-s.done
		if ctx.Err() != nil {
			return false
		}
		c.commit(ctx, s)
	}
	return true
}

// template templates a speculation in a worker, keeping a panic for the
// cluster's goroutine, where the render's recover reports it.
func (s *speculation) template(ctx context.Context) {
	defer close(s.done)
	defer func() { s.panicked = recover() }()
	s.prepared.Template(ctx)
}

// commit adds a templated release to the cluster, or, when the releases
// added since it was prepared changed what it read, renders it again.
func (c *cluster) commit(ctx context.Context, s *speculation) {
	if !s.rec.unchanged() {
		c.addRelease(s.hr, helm.RenderRelease(ctx, c.sources.Charts, releaseCluster{c}, s.hr))
		return
	}
	if s.panicked != nil {
		panic(s.panicked)
	}
	s.rec.replay()
	c.addRelease(s.hr, s.prepared.Finish())
}

// A recordingCluster is the cluster as a speculation's Prepare sees it: it
// records the objects looked up, and keeps the effects on the cluster (the
// files read, the GitRepositories found to be this repository) until the
// speculation is kept.
type recordingCluster struct {
	c *cluster
	// objects is how many objects the cluster had when the release was
	// prepared.
	objects     int
	lookups     []recordedLookup
	reads       []string
	selfSources []*model.Object
	// external is set once the release read an ExternalArtifact.
	external bool
}

// A recordedLookup is one object looked up and what was found (nil for
// nothing).
type recordedLookup struct {
	target, kind, namespace, name string
	found                         *model.Object
}

// Lookup implements helm.Cluster.
func (rc *recordingCluster) Lookup(target, kind, namespace, name string) *model.Object {
	o := rc.c.lookup(target, kind, namespace, name)
	rc.lookups = append(rc.lookups, recordedLookup{target, kind, namespace, name, o})
	return o
}

// Source implements helm.Cluster.
func (rc *recordingCluster) Source(target, kind, namespace, name string) (*model.Object, *helm.Problem) {
	return chartSource(rc.Lookup(target, kind, namespace, name), kind, namespace, name)
}

// Artifact implements helm.Cluster. A GitRepository's artifact depends on
// the cluster's flux-system GitRepository, which it looks up.
func (rc *recordingCluster) Artifact(src *model.Object, kind string) (a *render.Artifact, p *helm.Problem) {
	if src == nil || kind != "GitRepository" {
		return releaseCluster{rc.c}.Artifact(src, kind)
	}
	rc.Lookup("", "GitRepository", "flux-system", "flux-system") // selfSource
	had := rc.c.selfSources[src]
	a, p = releaseCluster{rc.c}.Artifact(src, kind)
	if !had && rc.c.selfSources[src] {
		delete(rc.c.selfSources, src)
		rc.selfSources = append(rc.selfSources, src)
	}
	return a, p
}

// ExternalArtifact implements helm.Cluster. It reads the cluster's
// ArtifactGenerators and their sources, so any object added before the
// release is kept makes it render again.
func (rc *recordingCluster) ExternalArtifact(target, namespace, name string) (*render.Artifact, string, *helm.Problem) {
	rc.external = true
	return releaseCluster{rc.c}.ExternalArtifact(target, namespace, name)
}

// Read implements helm.Cluster.
func (rc *recordingCluster) Read(abs string) { rc.reads = append(rc.reads, abs) }

// Objects implements helm.Cluster.
func (rc *recordingCluster) Objects() []*model.Object { return rc.c.objects }

// unchanged says whether the cluster still gives what the release read
// when it was prepared: the same objects for its lookups, and no
// CustomResourceDefinition added since (the capabilities).
func (rc *recordingCluster) unchanged() bool {
	if rc.external && len(rc.c.objects) > rc.objects {
		return false
	}
	for _, l := range rc.lookups {
		if rc.c.lookup(l.target, l.kind, l.namespace, l.name) != l.found {
			return false
		}
	}
	for _, o := range rc.c.objects[rc.objects:] {
		if o.Ref.Kind == "CustomResourceDefinition" {
			return false
		}
	}
	return true
}

// replay applies the effects the release's Prepare kept back.
func (rc *recordingCluster) replay() {
	for _, abs := range rc.reads {
		rc.c.readFile(abs)
	}
	for _, src := range rc.selfSources {
		rc.c.selfSources[src] = true
	}
}
