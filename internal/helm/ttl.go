package helm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/Masterminds/semver/v3"
	"oras.land/oras-go/v2/registry/remote/errcode"

	"github.com/fluxlint/fluxlint/internal/model"
)

// DefaultChartTTL is how long a resolved chart version, a repository index,
// a tag list or a failure to fetch one is trusted before it is asked again.
const DefaultChartTTL = 10 * time.Minute

// A resolvedEntry is a chart request's resolution, kept in the cache
// folder (resolved/): the version chosen, the archive's digest and path.
type resolvedEntry struct {
	Resolved, Digest, Path string
	At                     time.Time
}

// A negativeEntry remembers that a chart, an index or a host could not be
// had (negative/).
type negativeEntry struct {
	Err string
	At  time.Time
}

// A rememberedError is a failure of an earlier attempt, still within the
// TTL.
type rememberedError struct {
	msg string
	ttl time.Duration
}

func (e *rememberedError) Error() string {
	return fmt.Sprintf("%s (%s for %s; run with --refresh to retry now)", e.msg, rememberedMark, e.ttl)
}

// rememberedMark is in the message of every remembered failure.
const rememberedMark = "remembered from an earlier attempt"

// Remembered says whether an error message is that of a failure
// remembered from an earlier run: the same message comes back while the
// failure is remembered, unlike a fresh failure's.
func Remembered(msg string) bool { return strings.Contains(msg, rememberedMark) }

// FailsAgain says whether the next run would fail with the same message:
// a failure remembered from an earlier attempt, while it is remembered,
// or a chart that --offline kept from being fetched, while the chart
// cache does not hold it.
func FailsAgain(msg string) bool {
	return Remembered(msg) || strings.Contains(msg, ErrOffline.Error())
}

// requestKey names a chart request in the cache folder.
func requestKey(q model.RemoteChart) string {
	return hashKey("request", q.Repo, q.Name, q.Version, q.Tag, q.SemVer, q.Ref)
}

// exact says whether a request names one immutable chart: an exact
// version, an OCI digest or tag; its resolution never expires.
func exact(q model.RemoteChart) bool {
	if isOCI(q) {
		return q.Ref != "" || q.SemVer == ""
	}
	_, err := semver.StrictNewVersion(q.Version)
	return err == nil
}

func (r *Repositories) ttl() time.Duration {
	if r.TTL > 0 {
		return r.TTL
	}
	return DefaultChartTTL
}

func (r *Repositories) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// fresh says whether something fetched at a time is younger than the TTL.
func (r *Repositories) fresh(at time.Time) bool {
	age := r.now().Sub(at)
	return age >= 0 && age < r.ttl()
}

// freshFile says whether a cached file was written within the TTL.
func (r *Repositories) freshFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && r.fresh(st.ModTime())
}

func (r *Repositories) statePath(folder, key string) string {
	return filepath.Join(r.Cache.Dir, folder, key+".json")
}

func (r *Repositories) readState(folder, key string, into any) bool {
	data, err := os.ReadFile(r.statePath(folder, key))
	return err == nil && json.Unmarshal(data, into) == nil
}

func (r *Repositories) writeState(folder, key string, v any) {
	data, err := json.Marshal(v)
	if err == nil {
		_ = r.Cache.write(r.statePath(folder, key), data) // best effort: the cache only saves work
	}
}

// remembered returns the failure kept under key while it is within the
// TTL; nil with --refresh or offline (offline runs read only the cache).
func (r *Repositories) remembered(key string) error {
	if r.Refresh || r.Offline {
		return nil
	}
	var e negativeEntry
	if !r.readState("negative", key, &e) || !r.fresh(e.At) {
		return nil
	}
	return &rememberedError{msg: e.Err, ttl: r.ttl()}
}

// remember keeps a failure under key for the TTL.
func (r *Repositories) remember(key string, err error) {
	var re *rememberedError
	if errors.As(err, &re) {
		return
	}
	r.writeState("negative", key, negativeEntry{Err: err.Error(), At: r.now()})
}

// unavailable says whether an error means that a chart, index or host is
// not there (not found, unreachable, timed out), which is worth
// remembering, rather than a content problem.
func unavailable(err error) bool {
	var se *statusError
	if errors.As(err, &se) {
		return se.code == http.StatusNotFound || se.code == http.StatusGone
	}
	var ee *errcode.ErrorResponse
	if errors.As(err, &ee) {
		return ee.StatusCode == http.StatusNotFound
	}
	return unreachable(err)
}

// unreachable says whether a request failed to reach its host: a DNS
// failure, a refused connection, a timeout. A cancelled run is not one.
func unreachable(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var dns *net.DNSError
	var op *net.OpError
	var ne net.Error
	return errors.As(err, &dns) || errors.As(err, &op) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// A guard is the HTTP transport of a Repositories: a request to a host
// found unreachable within the TTL fails at once, with the remembered
// error, and a host found unreachable is remembered.
type guard struct {
	base http.RoundTripper
	r    *Repositories
}

// RoundTrip implements http.RoundTripper.
func (g guard) RoundTrip(req *http.Request) (*http.Response, error) {
	key := hashKey("host", req.URL.Host)
	if err := g.r.remembered(key); err != nil {
		return nil, err
	}
	resp, err := g.base.RoundTrip(req)
	if err != nil && unreachable(err) {
		g.r.remember(key, fmt.Errorf("host %s: %w", req.URL.Host, err))
	}
	return resp, err
}
