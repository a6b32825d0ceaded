package helm

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/Masterminds/semver/v3"
	"helm.sh/helm/v4/pkg/registry"
	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/model"
)

// An OCIRef selects a chart in an OCI repository, as OCIRepository's
// spec.ref does: a digest wins over a semver range, which wins over a tag.
type OCIRef struct {
	Tag, SemVer, Digest string
}

// OCIChart returns the archive of a chart stored in an OCI repository
// (oci://host/path), from the cache or pulled into it, and its version.
func (r *Repositories) OCIChart(ctx context.Context, repoURL string, ref OCIRef) ([]byte, string, error) {
	data, res, err := r.Fetch(ctx, model.RemoteChart{Repo: repoURL, Tag: ref.Tag, SemVer: ref.SemVer, Ref: ref.Digest})
	return data, res.Resolved, err
}

// resolveOCI resolves a chart of an OCI repository and returns the path of
// its archive in the cache, pulled when it is not there.
func (r *Repositories) resolveOCI(ctx context.Context, q model.RemoteChart) (model.RemoteChart, string, error) {
	if err := ctx.Err(); err != nil {
		return q, "", err
	}
	repoURL, ref := q.Repo, OCIRef{Tag: q.Tag, SemVer: q.SemVer, Digest: q.Ref}
	repoPath := strings.TrimPrefix(repoURL, "oci://")
	tag, err := r.ociTag(repoURL, ref)
	if err != nil {
		return q, "", err
	}
	key := tag
	if ref.Digest != "" {
		key = ref.Digest
	}
	q.Resolved = tag
	path := r.Cache.chartPath(repoURL, "oci", strings.ReplaceAll(key, ":", "_"))
	if data, err := r.Cache.read(path); err != nil || data != nil {
		q.Digest = digestOf(data)
		return q, path, err
	}
	if r.Offline {
		return q, "", fmt.Errorf("chart %s %s: %w", repoURL, key, ErrOffline)
	}
	client, err := r.ociClient(repoPath)
	if err != nil {
		return q, "", err
	}
	pullRef := repoPath + ":" + tag
	if ref.Digest != "" {
		pullRef = repoPath + "@" + ref.Digest
	}
	res, err := client.Pull(pullRef, registry.PullOptWithChart(true))
	if err != nil {
		return q, "", fmt.Errorf("pull %s: %w", pullRef, err)
	}
	if res.Chart == nil || len(res.Chart.Data) == 0 {
		return q, "", fmt.Errorf("pull %s: no chart layer", pullRef)
	}
	if int64(len(res.Chart.Data)) > r.MaxChartSize {
		return q, "", fmt.Errorf("pull %s: chart larger than %d bytes", pullRef, r.MaxChartSize)
	}
	if res.Chart.Meta != nil {
		q.Resolved = res.Chart.Meta.Version
	}
	q.Digest = digestOf(res.Chart.Data)
	return q, path, r.Cache.write(path, res.Chart.Data)
}

// ociTag resolves the tag to pull: the tag given, or the highest tag that
// matches the semver range (tags listed online, or the list cached by the
// last online run).
func (r *Repositories) ociTag(repoURL string, ref OCIRef) (string, error) {
	if ref.SemVer == "" {
		if ref.Tag == "" {
			return "latest", nil
		}
		return ref.Tag, nil
	}
	con, err := semver.NewConstraint(ref.SemVer)
	if err != nil {
		return "", fmt.Errorf("semver %q: %w", ref.SemVer, err)
	}
	tags, err := r.ociTags(repoURL)
	if err != nil {
		return "", err
	}
	for _, t := range tags { // newest first
		if v, err := semver.NewVersion(t); err == nil && con.Check(v) {
			return t, nil
		}
	}
	return "", fmt.Errorf("no tag of %s matches %q", repoURL, ref.SemVer)
}

// ociTags lists a repository's semver tags, newest first, once per run:
// from the list kept in the cache while it is younger than the TTL (or
// offline), else from the registry.
func (r *Repositories) ociTags(repoURL string) ([]string, error) {
	c := r.call(hashKey("tags", repoURL))
	c.once.Do(func() { c.tags, c.err = r.loadTags(repoURL) })
	return c.tags, c.err
}

func (r *Repositories) loadTags(repoURL string) ([]string, error) {
	path := filepath.Join(r.Cache.Dir, "tags", hashKey(repoURL)+".yaml")
	var tags []string
	if r.Offline || (!r.Refresh && r.freshFile(path)) {
		data, err := os.ReadFile(path)
		if err == nil && yaml.Unmarshal(data, &tags) == nil {
			return tags, nil
		}
		if r.Offline {
			return nil, fmt.Errorf("tags of %s: %w", repoURL, ErrOffline)
		}
	}
	repoPath := strings.TrimPrefix(repoURL, "oci://")
	client, err := r.ociClient(repoPath)
	if err != nil {
		return nil, err
	}
	if tags, err = client.Tags(repoPath); err != nil {
		return nil, fmt.Errorf("list tags of %s: %w", repoURL, err)
	}
	data, _ := yaml.Marshal(tags)
	if err := r.Cache.write(path, data); err != nil {
		return nil, err
	}
	return tags, nil
}

// ociClient returns a registry client; a registry on the loopback
// interface is spoken to over plain HTTP, as test registries are.
func (r *Repositories) ociClient(repoPath string) (*registry.Client, error) {
	opts := []registry.ClientOption{registry.ClientOptHTTPClient(r.Client)}
	if isLoopback(repoPath) {
		opts = append(opts, registry.ClientOptPlainHTTP())
	}
	c, err := registry.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("registry client: %w", err)
	}
	return c, nil
}

func isLoopback(repoPath string) bool {
	u, err := url.Parse("oci://" + repoPath)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
