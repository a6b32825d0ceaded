package helm

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"helm.sh/helm/v4/pkg/chart/loader"
	chart "helm.sh/helm/v4/pkg/chart/v2"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/finding"
)

// A chart archive from a chart repository or registry is loaded only when
// its release is templated, not served from the output cache: a warm run
// needs no more of it than the facts below, kept between runs under the
// archive's digest, and the output cache keys its render by the digests
// of the archives (the chart's, then those of the dependencies fetched
// for it) instead of by the loaded chart's content.

// chartFacts is what a release needs of a chart archive without loading
// it: its name, the dependencies its Chart.yaml names and its charts/
// folder lacks (addDependencies fetches them), and whether it may define
// CRDs (MayDefineCRDs). They are kept only for an archive that loads.
type chartFacts struct {
	Name     string
	Deps     []depRef
	CRDs     bool // the chart or a vendored dependency has crds/ objects
	NamesCRD bool // a template names CustomResourceDefinition
}

// A depRef is a dependency of a chart to fetch.
type depRef struct{ Name, Repository, Version string }

// factsOf returns the facts of a loaded chart, before fetched
// dependencies are added.
func factsOf(c *chart.Chart) chartFacts {
	return chartFacts{Name: c.Metadata.Name, Deps: missingDeps(c), CRDs: len(c.CRDObjects()) > 0, NamesCRD: namesCRD(c)}
}

// missingDeps returns the dependencies a chart's Chart.yaml names that its
// charts/ folder lacks, each name once.
func missingDeps(c *chart.Chart) []depRef {
	have := map[string]bool{}
	for _, d := range c.Dependencies() {
		have[d.Metadata.Name] = true
	}
	var out []depRef
	for _, dep := range c.Metadata.Dependencies {
		if have[dep.Name] {
			continue
		}
		have[dep.Name] = true
		out = append(out, depRef{Name: dep.Name, Repository: dep.Repository, Version: dep.Version})
	}
	return out
}

// archiveDigest returns the hex SHA-256 of an archive.
func archiveDigest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// factsBucket keeps chartFacts by archive digest, under the build.
func (ch *Charts) factsBucket() cache.Bucket {
	return cache.Bucket{Store: ch.Output, Name: "helm-chart-v1", Salt: ch.OutputSalt}
}

// factsKey is the seal of a facts record: what the record was made from.
func (ch *Charts) factsKey(digest string) []byte {
	return cache.SealKey("helm-chart-v1", ch.OutputSalt, digest)
}

// loadFacts returns the facts kept for the archive of digest. A record
// that does not open (damaged, or sealed for another archive or build)
// is a miss.
func (ch *Charts) loadFacts(digest string) (chartFacts, bool) {
	var sealed []byte
	b := ch.factsBucket()
	if ch.Output == nil || !b.Load(b.Key(digest), &sealed) {
		return chartFacts{}, false
	}
	var f chartFacts
	if !cache.Open(ch.factsKey(digest), sealed, &f) || f.Name == "" {
		return chartFacts{}, false
	}
	return f, true
}

// keepFacts keeps the facts of a loaded archive.
func (ch *Charts) keepFacts(digest string, f chartFacts) {
	if ch.Output == nil {
		return
	}
	if sealed, err := cache.Seal(ch.factsKey(digest), f); err == nil {
		b := ch.factsBucket()
		b.Keep(b.Key(digest), sealed)
	}
}

// loadArchive loads a chart archive; what names it goes into its error.
func loadArchive(data []byte) (*chart.Chart, error) {
	loaded, err := loader.LoadArchive(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	c, ok := loaded.(*chart.Chart)
	if !ok {
		return nil, errors.New("unsupported chart apiVersion")
	}
	return c, nil
}

// A lazyChart is a chart archive, with the dependencies fetched for it,
// not loaded yet.
type lazyChart struct {
	facts chartFacts
	// archives are the chart's, then its fetched dependencies'; depFacts
	// are the dependencies' facts.
	archives [][]byte
	depFacts []chartFacts
}

// load loads the chart and adds its fetched dependencies.
func (l *lazyChart) load() (*chart.Chart, error) {
	c, err := loadArchive(l.archives[0])
	if err != nil {
		return nil, err
	}
	for i, data := range l.archives[1:] {
		d, err := loadArchive(data)
		if err != nil {
			return nil, fmt.Errorf("dependency %s of chart %s: %w", l.facts.Deps[i].Name, l.facts.Name, err)
		}
		c.AddDependency(d)
	}
	return c, nil
}

// mayDefineCRDs is MayDefineCRDs for a chart not loaded.
func (l *lazyChart) mayDefineCRDs(includeCRDs bool) bool {
	crds, names := l.facts.CRDs, l.facts.NamesCRD
	for _, f := range l.depFacts {
		crds, names = crds || f.CRDs, names || f.NamesCRD
	}
	return includeCRDs && crds || names
}

// lazyArchive returns the chart of an archive not loaded, when its facts
// are kept, with the dependencies it names fetched (a dependency without
// kept facts is loaded once to have them); the chart's key goes into
// r.chartKey. Without the chart's facts it returns nil, and the caller
// loads the chart.
func (r *releaser) lazyArchive(ctx context.Context, data []byte, at finding.Pos) (*lazyChart, *finding.Finding) {
	digest := archiveDigest(data)
	facts, ok := r.charts.loadFacts(digest)
	if !ok {
		return nil, nil
	}
	l := &lazyChart{facts: facts, archives: [][]byte{data}}
	keys := []string{digest}
	for _, dep := range facts.Deps {
		dd, err := r.fetchDependency(ctx, dep)
		if err != nil {
			return nil, dependencyFinding(dep, facts.Name, err, at)
		}
		digest := archiveDigest(dd)
		df, ok := r.charts.loadFacts(digest)
		if !ok {
			c, err := loadArchive(dd)
			if err != nil {
				return nil, dependencyFinding(dep, facts.Name, err, at)
			}
			df = factsOf(c)
			r.charts.keepFacts(digest, df)
		}
		l.archives = append(l.archives, dd)
		l.depFacts = append(l.depFacts, df)
		keys = append(keys, digest)
	}
	r.chartKey = strings.Join(keys, ",")
	return l, nil
}
