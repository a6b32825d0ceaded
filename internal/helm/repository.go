package helm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/Masterminds/semver/v3"
	repo "helm.sh/helm/v4/pkg/repo/v1"
)

// Limits of what is downloaded.
const (
	maxIndexSize = 64 << 20
	// DefaultMaxChartSize is the largest chart archive downloaded.
	DefaultMaxChartSize = 32 << 20
	// DefaultHTTPTimeout bounds each download, slow servers included.
	DefaultHTTPTimeout = 60 * time.Second
)

// ErrOffline is returned for a chart or index that is not cached when the
// network may not be used.
var ErrOffline = errors.New("not in the chart cache and --offline forbids downloading it")

// A Repositories fetches chart repository indexes and charts over HTTP,
// through the cache. Each index is fetched at most once per run. It is safe
// for concurrent use.
type Repositories struct {
	Cache   *Cache
	Offline bool
	// Client makes the HTTP requests; its Timeout bounds each download.
	Client *http.Client
	// MaxChartSize is the largest chart archive downloaded or pulled.
	MaxChartSize int64

	mu      sync.Mutex
	indexes map[string]*indexEntry
	tags    map[string][]string
}

type indexEntry struct {
	once  sync.Once
	index *repo.IndexFile
	err   error
}

// NewRepositories returns a fetcher over a cache.
func NewRepositories(cache *Cache, offline bool) *Repositories {
	return &Repositories{Cache: cache, Offline: offline, Client: &http.Client{Timeout: DefaultHTTPTimeout}, MaxChartSize: DefaultMaxChartSize, indexes: map[string]*indexEntry{}, tags: map[string][]string{}}
}

// index returns a repository's index: fetched once per run, or read from
// the cache when offline.
func (r *Repositories) index(ctx context.Context, repoURL string) (*repo.IndexFile, error) {
	r.mu.Lock()
	e, ok := r.indexes[repoURL]
	if !ok {
		e = &indexEntry{}
		r.indexes[repoURL] = e
	}
	r.mu.Unlock()
	e.once.Do(func() { e.index, e.err = r.loadIndex(ctx, repoURL) })
	return e.index, e.err
}

func (r *Repositories) loadIndex(ctx context.Context, repoURL string) (*repo.IndexFile, error) {
	path := r.Cache.indexPath(repoURL)
	if r.Offline {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("index of %s: %w", repoURL, ErrOffline)
		}
		return repo.LoadIndexFile(path)
	}
	data, err := r.get(ctx, strings.TrimSuffix(repoURL, "/")+"/index.yaml", maxIndexSize)
	if err != nil {
		return nil, fmt.Errorf("fetch index of %s: %w", repoURL, err)
	}
	if err := r.Cache.write(path, data); err != nil {
		return nil, err
	}
	idx, err := repo.LoadIndexFile(path)
	if err != nil {
		return nil, fmt.Errorf("index of %s: %w", repoURL, err)
	}
	return idx, nil
}

// get downloads a URL, refusing bodies larger than limit.
func (r *Repositories) get(ctx context.Context, url string, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := r.Client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("GET %s: larger than %d bytes", url, limit)
	}
	return data, nil
}

// Chart returns the archive of a chart version from a repository, from the
// cache or downloaded into it, and the version chosen.
func (r *Repositories) Chart(ctx context.Context, repoURL, name, constraint string) ([]byte, string, error) {
	idx, err := r.index(ctx, repoURL)
	if err != nil {
		return nil, "", err
	}
	cv, err := PickVersion(idx.Entries[name], constraint)
	if err != nil {
		return nil, "", fmt.Errorf("chart %s in %s: %w", name, repoURL, err)
	}
	path := r.Cache.chartPath(repoURL, name, cv.Version)
	data, err := r.Cache.read(path)
	if err != nil {
		return nil, "", err
	}
	if data != nil && (cv.Digest == "" || digestOf(data) == cv.Digest) {
		return data, cv.Version, nil
	}
	if r.Offline {
		return nil, "", fmt.Errorf("chart %s %s: %w", name, cv.Version, ErrOffline)
	}
	if len(cv.URLs) == 0 {
		return nil, "", fmt.Errorf("chart %s %s has no download URL in the index", name, cv.Version)
	}
	url, err := repo.ResolveReferenceURL(repoURL, cv.URLs[0])
	if err != nil {
		return nil, "", fmt.Errorf("chart %s %s: %w", name, cv.Version, err)
	}
	data, err = r.get(ctx, url, r.MaxChartSize)
	if err != nil {
		return nil, "", err
	}
	if cv.Digest != "" && digestOf(data) != cv.Digest {
		return nil, "", fmt.Errorf("chart %s %s: digest %s does not match the index's %s", name, cv.Version, digestOf(data), cv.Digest)
	}
	return data, cv.Version, r.Cache.write(path, data)
}

// PickVersion resolves chart.spec.version as the source-controller does: an
// exact match first, else the highest version matching the semver
// constraint ("" and "*" mean the latest stable version), ties broken by
// the newest creation time.
func PickVersion(versions repo.ChartVersions, constraint string) (*repo.ChartVersion, error) {
	if len(versions) == 0 {
		return nil, errors.New("not in the repository index")
	}
	for _, v := range versions {
		if v.Version == constraint && constraint != "" {
			return v, nil
		}
	}
	c := constraint
	if c == "" {
		c = "*"
	}
	con, err := semver.NewConstraint(c)
	if err != nil {
		return nil, fmt.Errorf("version %q is not a semver constraint: %w", constraint, err)
	}
	var matches []*repo.ChartVersion
	for _, v := range versions {
		sv, err := semver.NewVersion(v.Version)
		if err != nil || !con.Check(sv) {
			continue
		}
		matches = append(matches, v)
	}
	if len(matches) == 0 {
		return nil, fmt.Errorf("no version matches %q", constraint)
	}
	sort.SliceStable(matches, func(i, j int) bool {
		a, _ := semver.NewVersion(matches[i].Version)
		b, _ := semver.NewVersion(matches[j].Version)
		if !a.Equal(b) {
			return a.GreaterThan(b)
		}
		return matches[i].Created.After(matches[j].Created)
	})
	return matches[0], nil
}
