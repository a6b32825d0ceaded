package flux

import (
	"context"
	"fmt"
	"runtime"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
)

// renderHelmReleases renders the HelmReleases given (internal/helm), after
// all Kustomizations, so that valuesFrom finds its ConfigMaps and Secrets.
// Releases are templated concurrently (helmrelease_parallel.go) and added
// in their order, as one at a time would.
func (c *cluster) renderHelmReleases(ctx context.Context, hrs []*model.Object) {
	if c.sources.Charts == nil {
		return
	}
	helm.Prefetch(ctx, c.sources.Charts, releaseCluster{c}, hrs)
	workers := c.sources.Charts.Templaters
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers == 1 {
		for _, hr := range hrs {
			if ctx.Err() != nil {
				return
			}
			c.addRelease(hr, helm.RenderRelease(ctx, c.sources.Charts, releaseCluster{c}, hr))
		}
		return
	}
	c.renderReleasesParallel(ctx, hrs, workers)
}

// addRelease adds what rendering a HelmRelease gave to the cluster.
func (c *cluster) addRelease(hr *model.Object, res helm.Rendered) {
	c.External = c.External || res.External
	c.Charts = append(c.Charts, res.Charts...)
	for i := range res.Findings {
		res.Findings[i].Object, res.Findings[i].Chain = hr.Ref, hr.Chain
	}
	c.Findings = append(c.Findings, res.Findings...)
	if res.Objects != nil {
		c.Releases++
	}
	c.add(res.Objects)
}

// releaseCluster is the cluster as a HelmRelease's render sees it.
type releaseCluster struct{ c *cluster }

// Lookup implements helm.Cluster.
func (rc releaseCluster) Lookup(target, kind, namespace, name string) *model.Object {
	return rc.c.lookup(target, kind, namespace, name)
}

// Source implements helm.Cluster: a chart's source must be defined in the
// cluster (flux-source-missing).
func (rc releaseCluster) Source(target, kind, namespace, name string) (*model.Object, *helm.Problem) {
	return chartSource(rc.c.lookup(target, kind, namespace, name), kind, namespace, name)
}

// chartSource returns the chart source found, or the problem that it is not.
func chartSource(o *model.Object, kind, namespace, name string) (*model.Object, *helm.Problem) {
	if o != nil {
		return o, nil
	}
	return nil, &helm.Problem{Rule: RuleSourceMissing, Severity: finding.Error,
		Message: fmt.Sprintf("chart source %s %s/%s is not defined in this cluster", kind, namespace, name),
		Names:   &finding.ObjectRef{Kind: kind, Namespace: namespace, Name: name}}
}

// Artifact implements helm.Cluster: a GitRepository resolves as a
// Kustomization's source does; a Bucket cannot be read offline.
func (rc releaseCluster) Artifact(src *model.Object, kind string) (*render.Artifact, *helm.Problem) {
	var artifact *render.Artifact
	var un *unavailable
	switch {
	case src == nil:
		artifact, un = rc.c.sources.load(rc.c.repo.Root, "")
	case kind == "GitRepository":
		artifact, un = rc.c.sources.gitRepository(rc.c, src)
	default:
		un = &unavailable{severity: finding.Warning, rule: RuleSourceUnavailable, message: fmt.Sprintf("Bucket %s/%s cannot be read offline; map it in .fluxlint.yaml (sources)", src.Ref.Namespace, src.Ref.Name)}
	}
	if un != nil {
		return nil, &helm.Problem{Rule: un.rule, Severity: un.severity, Message: un.message}
	}
	return artifact, nil
}

// Read implements helm.Cluster.
func (rc releaseCluster) Read(abs string) { rc.c.readFile(abs) }

// ExternalArtifact implements helm.Cluster: an ArtifactGenerator of the
// cluster makes it of a folder of a local source.
func (rc releaseCluster) ExternalArtifact(target, namespace, name string) (*render.Artifact, string, *helm.Problem) {
	artifact, dir, un := rc.c.sources.externalChart(rc.c, target, namespace, name)
	if un != nil {
		return nil, "", &helm.Problem{Rule: un.rule, Severity: un.severity, Message: un.message}
	}
	return artifact, dir, nil
}

// Objects implements helm.Cluster.
func (rc releaseCluster) Objects() []*model.Object { return rc.c.objects }
