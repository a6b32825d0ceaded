package helm

import (
	"context"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/fluxlint/fluxlint/internal/model"
)

// PrefetchLimit bounds the chart resolutions and downloads of a prefetch
// that run at once.
const PrefetchLimit = 8

// Prefetch resolves the remote charts that HelmReleases name (chart
// repositories and registries, through their sources), at most
// PrefetchLimit at a time, each once: the renders that follow find them
// resolved (Repositories keeps each resolution of the run), and
// unreachable hosts are waited for side by side rather than one after
// the other. Failures are left to the renders to report; a chart's
// dependencies are fetched by its render.
func Prefetch(ctx context.Context, charts *Charts, c Cluster, hrs []*model.Object) {
	if charts == nil || charts.Repositories == nil {
		return
	}
	seen := map[string]bool{}
	var g errgroup.Group
	g.SetLimit(PrefetchLimit)
	for _, hr := range hrs {
		q, ok := remoteRequest(charts, c, hr)
		if !ok || seen[requestKey(q)] {
			continue
		}
		seen[requestKey(q)] = true
		g.Go(func() error {
			_, _ = charts.Repositories.Resolve(ctx, q)
			return nil
		})
	}
	_ = g.Wait()
}

// remoteRequest returns the request of a HelmRelease's chart when it comes
// from a chart repository or registry, as loadChart resolves it.
func remoteRequest(charts *Charts, c Cluster, hr *model.Object) (model.RemoteChart, bool) {
	spec, _ := hr.Content["spec"].(map[string]any)
	ns := hr.Ref.Namespace
	if ref, ok := spec["chartRef"].(map[string]any); ok {
		kind, _ := ref["kind"].(string)
		name, _ := ref["name"].(string)
		if refNS, _ := ref["namespace"].(string); refNS != "" {
			ns = refNS
		}
		src, p := c.Source(hr.Target, kind, ns, name)
		if p != nil {
			return model.RemoteChart{}, false
		}
		switch kind {
		case "OCIRepository":
			ref := OCIRef{Tag: str(src.Content, "spec", "ref", "tag"), SemVer: str(src.Content, "spec", "ref", "semver"), Digest: str(src.Content, "spec", "ref", "digest")}
			return ociRequest(charts.mirror(str(src.Content, "spec", "url")), ref), true
		case "HelmChart":
			hcSpec, _ := src.Content["spec"].(map[string]any)
			return specRequest(charts, c, hr.Target, hcSpec, ns)
		}
		return model.RemoteChart{}, false
	}
	chartSpec, _ := value(spec, "chart", "spec").(map[string]any)
	return specRequest(charts, c, hr.Target, chartSpec, ns)
}

// specRequest returns the request of a chart template whose source is a
// HelmRepository.
func specRequest(charts *Charts, c Cluster, target string, spec map[string]any, defaultNS string) (model.RemoteChart, bool) {
	if spec == nil || str(spec, "sourceRef", "kind") != "HelmRepository" {
		return model.RemoteChart{}, false
	}
	ns := str(spec, "sourceRef", "namespace")
	if ns == "" {
		ns = defaultNS
	}
	src, p := c.Source(target, "HelmRepository", ns, str(spec, "sourceRef", "name"))
	if p != nil {
		return model.RemoteChart{}, false
	}
	url, name := str(src.Content, "spec", "url"), str(spec, "chart")
	if str(src.Content, "spec", "type") == "oci" {
		return ociRequest(charts.mirror(strings.TrimSuffix(url, "/")+"/"+name), ociVersion(str(spec, "version"))), true
	}
	return model.RemoteChart{Repo: charts.mirror(url), Name: name, Version: str(spec, "version")}, true
}
