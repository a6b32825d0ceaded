package helm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/Masterminds/semver/v3"
	repo "helm.sh/helm/v4/pkg/repo/v1"

	"github.com/fluxlint/fluxlint/internal/model"
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

// A Repositories fetches chart repository indexes and charts over HTTP and
// from OCI registries, through the cache. Each index, tag list and chart is
// fetched at most once per run; a resolved version, an index, a tag list
// and a failure are trusted for the TTL across runs (an exact version or a
// digest for ever, while its archive is cached). It is safe for concurrent
// use.
type Repositories struct {
	Cache   *Cache
	Offline bool
	// Client makes the HTTP requests; its Timeout bounds each download.
	Client *http.Client
	// MaxChartSize is the largest chart archive downloaded or pulled.
	MaxChartSize int64
	// TTL is how long resolutions, indexes, tag lists and failures are
	// trusted; zero is DefaultChartTTL.
	TTL time.Duration
	// Refresh resolves every chart again, whatever the TTL, and ignores
	// remembered failures.
	Refresh bool
	// Now tells the time; nil is time.Now.
	Now func() time.Time

	mu      sync.Mutex
	indexes map[string]*indexEntry
	calls   map[string]*call
}

type indexEntry struct {
	once  sync.Once
	index *repo.IndexFile
	err   error
}

// A call is one resolution of a run, shared by every caller that asks the
// same.
type call struct {
	once sync.Once
	res  model.RemoteChart
	path string
	tags []string
	err  error
}

// NewRepositories returns a fetcher over a cache.
func NewRepositories(cache *Cache, offline bool) *Repositories {
	r := &Repositories{Cache: cache, Offline: offline, MaxChartSize: DefaultMaxChartSize, indexes: map[string]*indexEntry{}, calls: map[string]*call{}}
	r.Client = &http.Client{Timeout: DefaultHTTPTimeout, Transport: guard{base: http.DefaultTransport, r: r}}
	return r
}

// call returns the run's call for a key.
func (r *Repositories) call(key string) *call {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, ok := r.calls[key]
	if !ok {
		c = &call{}
		r.calls[key] = c
	}
	return c
}

// Resolve resolves a chart request (model.RemoteChart with Resolved and
// Digest empty) once per run: from the resolution kept in the cache while
// it stands, else through the repository's index or tags, downloading the
// archive into the cache when it is not there.
func (r *Repositories) Resolve(ctx context.Context, q model.RemoteChart) (model.RemoteChart, error) {
	c := r.call(requestKey(q))
	c.once.Do(func() { c.res, c.path, c.err = r.resolve(ctx, q) })
	return c.res, c.err
}

// Fetch resolves a chart request and returns the archive with the
// resolution.
func (r *Repositories) Fetch(ctx context.Context, q model.RemoteChart) ([]byte, model.RemoteChart, error) {
	res, err := r.Resolve(ctx, q)
	if err != nil {
		return nil, res, err
	}
	path := r.call(requestKey(q)).path
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, res, fmt.Errorf("chart cache: %w", err)
	}
	if digestOf(data) != res.Digest {
		return nil, res, fmt.Errorf("chart cache: %s changed while in use", path)
	}
	return data, res, nil
}

// resolve resolves a request without the run's memory: a remembered
// failure, a kept resolution that stands, or the repository.
func (r *Repositories) resolve(ctx context.Context, q model.RemoteChart) (model.RemoteChart, string, error) {
	key := requestKey(q)
	if err := r.remembered(key); err != nil {
		return q, "", err
	}
	var e resolvedEntry
	if !r.Refresh && r.readState("resolved", key, &e) && (r.Offline || exact(q) || r.fresh(e.At)) {
		path := filepath.Join(r.Cache.Dir, filepath.FromSlash(e.Path))
		if data, err := os.ReadFile(path); err == nil && digestOf(data) == e.Digest {
			q.Resolved, q.Digest = e.Resolved, e.Digest
			return q, path, nil
		}
	}
	var (
		res  model.RemoteChart
		path string
		err  error
	)
	if isOCI(q) {
		res, path, err = r.resolveOCI(ctx, q)
	} else {
		res, path, err = r.resolveHTTP(ctx, q)
	}
	if err != nil {
		if !r.Offline && unavailable(err) {
			r.remember(key, err)
		}
		return q, "", err
	}
	rel, _ := filepath.Rel(r.Cache.Dir, path)
	r.writeState("resolved", key, resolvedEntry{Resolved: res.Resolved, Digest: res.Digest, Path: filepath.ToSlash(rel), At: r.now()})
	return res, path, nil
}

func isOCI(q model.RemoteChart) bool { return strings.HasPrefix(q.Repo, "oci://") }

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
	if !r.Refresh && r.freshFile(path) {
		if idx, err := repo.LoadIndexFile(path); err == nil {
			return idx, nil
		}
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
		return nil, &statusError{url: url, code: resp.StatusCode, status: resp.Status}
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

// A statusError is an HTTP answer other than 200 OK.
type statusError struct {
	url, status string
	code        int
}

func (e *statusError) Error() string { return fmt.Sprintf("GET %s: %s", e.url, e.status) }

// Chart returns the archive of a chart version from a repository, from the
// cache or downloaded into it, and the version chosen.
func (r *Repositories) Chart(ctx context.Context, repoURL, name, constraint string) ([]byte, string, error) {
	data, res, err := r.Fetch(ctx, model.RemoteChart{Repo: repoURL, Name: name, Version: constraint})
	return data, res.Resolved, err
}

// resolveHTTP resolves a chart of an HTTP repository through its index
// and returns the path of its archive in the cache, downloaded when it is
// not there.
func (r *Repositories) resolveHTTP(ctx context.Context, q model.RemoteChart) (model.RemoteChart, string, error) {
	repoURL, name := q.Repo, q.Name
	idx, err := r.index(ctx, repoURL)
	if err != nil {
		return q, "", err
	}
	cv, err := PickVersion(idx.Entries[name], q.Version)
	if err != nil {
		return q, "", fmt.Errorf("chart %s in %s: %w", name, repoURL, err)
	}
	q.Resolved = cv.Version
	path := r.Cache.chartPath(repoURL, name, cv.Version)
	data, err := r.Cache.read(path)
	if err != nil {
		return q, "", err
	}
	if data != nil && (cv.Digest == "" || digestOf(data) == cv.Digest) {
		q.Digest = digestOf(data)
		return q, path, nil
	}
	if r.Offline {
		return q, "", fmt.Errorf("chart %s %s: %w", name, cv.Version, ErrOffline)
	}
	if len(cv.URLs) == 0 {
		return q, "", fmt.Errorf("chart %s %s has no download URL in the index", name, cv.Version)
	}
	url, err := repo.ResolveReferenceURL(repoURL, cv.URLs[0])
	if err != nil {
		return q, "", fmt.Errorf("chart %s %s: %w", name, cv.Version, err)
	}
	data, err = r.get(ctx, url, r.MaxChartSize)
	if err != nil {
		return q, "", err
	}
	if cv.Digest != "" && digestOf(data) != cv.Digest {
		return q, "", fmt.Errorf("chart %s %s: digest %s does not match the index's %s", name, cv.Version, digestOf(data), cv.Digest)
	}
	q.Digest = digestOf(data)
	return q, path, r.Cache.write(path, data)
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
