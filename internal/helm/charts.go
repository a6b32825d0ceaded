package helm

import (
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"

	"github.com/fluxlint/fluxlint/internal/cache"
)

// Charts configures how HelmReleases are rendered in a run.
type Charts struct {
	// Repositories fetches charts from HTTP chart repositories.
	Repositories *Repositories
	// KubeVersion is the target Kubernetes version, e.g. "1.37".
	KubeVersion string
	// KubeAPIs are the group/versions and group/version/kinds of the
	// target version's built-in types, which a cluster lists in discovery
	// and helm-controller gives charts in .Capabilities.APIVersions (see
	// schema.KubernetesAPIs); the CRDs of the cluster add their own.
	KubeAPIs []string
	// Mirrors maps chart repository URL prefixes (https:// or oci://) to
	// the URLs to fetch them from instead.
	Mirrors map[string]string
	// RenderTimeout bounds each release's render; zero is DefaultTimeout.
	RenderTimeout time.Duration
	// Output, when set, keeps rendered charts between runs; OutputSalt
	// names the fluxlint build (see Release).
	Output     cache.Store
	OutputSalt string
	// Templaters bounds how many HelmReleases of a cluster are templated
	// at once; zero is GOMAXPROCS, one templates them one at a time.
	Templaters int
}

// maxChartSize is the largest chart archive read, from a repository or
// registry or from a source's tree.
func (ch *Charts) maxChartSize() int64 {
	if ch.Repositories == nil || ch.Repositories.MaxChartSize <= 0 {
		return DefaultMaxChartSize
	}
	return ch.Repositories.MaxChartSize
}

// mirror rewrites a chart repository URL by the longest matching prefix.
func (ch *Charts) mirror(url string) string {
	best := ""
	for from := range ch.Mirrors {
		if strings.HasPrefix(url, from) && len(from) > len(best) {
			best = from
		}
	}
	if best == "" {
		return url
	}
	return ch.Mirrors[best] + strings.TrimPrefix(url, best)
}

// ociVersion turns a HelmRepository chart version into an OCI reference:
// an exact version is a tag, anything else a semver range.
func ociVersion(version string) OCIRef {
	if version == "" || version == "*" {
		return OCIRef{SemVer: "*"}
	}
	if _, err := semver.StrictNewVersion(version); err == nil {
		return OCIRef{Tag: version}
	}
	return OCIRef{SemVer: version}
}
