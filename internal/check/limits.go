package check

import (
	"time"

	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/policy"
	"github.com/fluxlint/fluxlint/internal/source"
)

// Limits bound what one run reads, renders and downloads, so that a broken
// or hostile repository cannot exhaust memory or time. A zero field keeps
// its default.
type Limits struct {
	// MaxFileSize is the largest file read, in bytes (default 64 MiB).
	MaxFileSize int64
	// MaxDocuments is the largest number of YAML documents in one file
	// (default 5,000).
	MaxDocuments int
	// MaxBuildDocuments is the largest number of YAML documents that the
	// files of one kustomize build hold together (default 2,000).
	MaxBuildDocuments int
	// RenderTimeout bounds each HelmRelease's render (default 30 s).
	RenderTimeout time.Duration
	// MaxChartSize is the largest chart archive downloaded, in bytes
	// (default 32 MiB).
	MaxChartSize int64
	// DownloadTimeout bounds each download of a chart or an index
	// (default 60 s).
	DownloadTimeout time.Duration
	// PolicyBudget bounds the evaluation time of all policies on all
	// objects of the run together (default 60 s).
	PolicyBudget time.Duration
	// PolicyMemory is the heap, in bytes, at which policy evaluation stops
	// (default 1 GiB).
	PolicyMemory int64
}

// DefaultLimits are the limits of a run that sets none.
var DefaultLimits = Limits{
	MaxFileSize:       source.DefaultMaxFileSize,
	MaxDocuments:      source.DefaultMaxDocuments,
	MaxBuildDocuments: source.DefaultMaxBuildDocuments,
	RenderTimeout:     helm.DefaultTimeout,
	MaxChartSize:      helm.DefaultMaxChartSize,
	DownloadTimeout:   helm.DefaultHTTPTimeout,
	PolicyBudget:      policy.DefaultBudget,
	PolicyMemory:      policy.DefaultMaxMemory,
}

func (l Limits) applyToRepo(r *source.Repo) {
	if l.MaxFileSize > 0 {
		r.MaxFileSize = l.MaxFileSize
	}
	if l.MaxDocuments > 0 {
		r.MaxDocuments = l.MaxDocuments
	}
	if l.MaxBuildDocuments > 0 {
		r.MaxBuildDocuments = l.MaxBuildDocuments
	}
}

func (l Limits) applyToRepositories(r *helm.Repositories) {
	if l.MaxChartSize > 0 {
		r.MaxChartSize = l.MaxChartSize
	}
	if l.DownloadTimeout > 0 {
		r.Client.Timeout = l.DownloadTimeout
	}
}
