package flux

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"helm.sh/helm/v4/pkg/chart/loader"
	chart "helm.sh/helm/v4/pkg/chart/v2"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// addDependencies fetches the dependencies a chart's Chart.yaml names and
// its charts/ folder lacks, from the repositories they name (HTTP or OCI,
// through the cache and mirrors), as the source-controller does when it
// builds a chart. Local file:// dependencies of a local chart are loaded
// from disk by Helm's loader already.
func (c *cluster) addDependencies(ctx context.Context, chrt *chart.Chart, at finding.Pos) *finding.Finding {
	have := map[string]bool{}
	for _, d := range chrt.Dependencies() {
		have[d.Metadata.Name] = true
	}
	for _, dep := range chrt.Metadata.Dependencies {
		if have[dep.Name] {
			continue
		}
		repo := dep.Repository
		var (
			data []byte
			err  error
		)
		c.External = c.External || strings.Contains(repo, "://")
		switch {
		case strings.HasPrefix(repo, "oci://"):
			data, _, err = c.sources.Charts.Repositories.OCIChart(ctx, c.sources.Charts.mirror(strings.TrimSuffix(repo, "/")+"/"+dep.Name), ociVersion(dep.Version))
		case strings.HasPrefix(repo, "https://") || strings.HasPrefix(repo, "http://"):
			data, _, err = c.sources.Charts.Repositories.Chart(ctx, c.sources.Charts.mirror(repo), dep.Name, dep.Version)
		default:
			err = fmt.Errorf("repository %q is not a URL this offline check can follow (vendor it in charts/)", repo)
		}
		if err == nil {
			var loaded any
			if loaded, err = loader.LoadArchive(bytes.NewReader(data)); err == nil {
				d, ok := loaded.(*chart.Chart)
				if !ok {
					err = fmt.Errorf("unsupported chart apiVersion")
				} else {
					chrt.AddDependency(d)
					have[dep.Name] = true
				}
			}
		}
		if err != nil {
			return &finding.Finding{RuleID: RuleChartUnavailable, Severity: finding.Warning, Pos: at,
				Message: fmt.Sprintf("dependency %s %s of chart %s cannot be had: %s", dep.Name, dep.Version, chrt.Metadata.Name, err)}
		}
	}
	return nil
}
