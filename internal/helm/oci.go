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
)

// An OCIRef selects a chart in an OCI repository, as OCIRepository's
// spec.ref does: a digest wins over a semver range, which wins over a tag.
type OCIRef struct {
	Tag, SemVer, Digest string
}

// OCIChart returns the archive of a chart stored in an OCI repository
// (oci://host/path), from the cache or pulled into it, and its version.
func (r *Repositories) OCIChart(ctx context.Context, repoURL string, ref OCIRef) ([]byte, string, error) {
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	repoPath := strings.TrimPrefix(repoURL, "oci://")
	tag, err := r.ociTag(repoURL, ref)
	if err != nil {
		return nil, "", err
	}
	key := tag
	if ref.Digest != "" {
		key = ref.Digest
	}
	path := r.Cache.chartPath(repoURL, "oci", strings.ReplaceAll(key, ":", "_"))
	if data, err := r.Cache.read(path); err != nil || data != nil {
		return data, tag, err
	}
	if r.Offline {
		return nil, "", fmt.Errorf("chart %s %s: %w", repoURL, key, ErrOffline)
	}
	client, err := r.ociClient(repoPath)
	if err != nil {
		return nil, "", err
	}
	pullRef := repoPath + ":" + tag
	if ref.Digest != "" {
		pullRef = repoPath + "@" + ref.Digest
	}
	res, err := client.Pull(pullRef, registry.PullOptWithChart(true))
	if err != nil {
		return nil, "", fmt.Errorf("pull %s: %w", pullRef, err)
	}
	if res.Chart == nil || len(res.Chart.Data) == 0 {
		return nil, "", fmt.Errorf("pull %s: no chart layer", pullRef)
	}
	if int64(len(res.Chart.Data)) > r.MaxChartSize {
		return nil, "", fmt.Errorf("pull %s: chart larger than %d bytes", pullRef, r.MaxChartSize)
	}
	if res.Chart.Meta != nil {
		tag = res.Chart.Meta.Version
	}
	return res.Chart.Data, tag, r.Cache.write(path, res.Chart.Data)
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

// ociTags lists a repository's semver tags, newest first, once per run.
func (r *Repositories) ociTags(repoURL string) ([]string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if tags, ok := r.tags[repoURL]; ok {
		return tags, nil
	}
	path := filepath.Join(r.Cache.Dir, "tags", hashKey(repoURL)+".yaml")
	var tags []string
	if r.Offline {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("tags of %s: %w", repoURL, ErrOffline)
		}
		if err := yaml.Unmarshal(data, &tags); err != nil {
			return nil, fmt.Errorf("tags of %s: %w", repoURL, err)
		}
	} else {
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
	}
	r.tags[repoURL] = tags
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
