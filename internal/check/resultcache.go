package check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/source"
)

// A Store keeps blobs between runs, by bucket and key: the user's cache
// folder (diskcache.Store), shared by concurrent runs.
type Store = cache.Store

// A resultCache keeps each cluster's findings between runs. A cluster's
// record lists the content hash of every repository file its renders read
// (kustomize's reads, local charts and their values files) and a hash of
// the repository's list of files: the record stands for a render and check
// of the cluster only while all of those are unchanged, with the same
// options and the same fluxlint build. A new or removed file anywhere
// invalidates every record, as a Flux-generated kustomization.yaml lists
// the files of its folder. A cluster whose charts come from chart
// repositories or registries keeps their resolutions (repository, name,
// version asked, version resolved, archive digest) as inputs too: its
// record stands while each request still resolves to the same archive
// (helm.Repositories.Resolve, which trusts a resolution for its TTL and an
// exact version for ever), or fails with the same remembered failure.
// Clusters whose chart fetch failed on the run's own attempt are not kept,
// nor is anything when sources are mapped to folders outside the
// repository.
//
// The schemas a cluster's findings were made with follow from its Flux and
// Kubernetes versions and its Flux Operator flag, which come from the
// options (part of the run's key) or from what its render read (the
// record's inputs): the record keeps them for the restored cluster, and
// any change of them changes the key or an input.
type resultCache struct {
	// bucket holds one record per cluster and configuration.
	bucket  cache.Bucket
	runKey  string
	listing string
	repo    *source.Repo
	// charts resolves the remote charts records list; nil when the run
	// renders no HelmRelease.
	charts *helm.Repositories
	// files hashes each file once for the run; the build cache shares it.
	files *cache.FileMemo
}

// A clusterRecord is what the cache keeps of one cluster.
type clusterRecord struct {
	Listing        string
	Inputs         map[string]string
	Kustomizations int
	Releases       int
	HelmReleases   int
	Objects        int
	FilesRead      []string
	// Charts are the remote charts the render fetched, as resolved.
	Charts   []model.RemoteChart
	Findings []finding.Finding
	// FluxVersion, KubernetesVersion and Operator are the cluster's, as
	// its render found them; its findings were made with the schemas they
	// chose.
	FluxVersion, KubernetesVersion string
	Operator                       bool
}

// newResultCache returns the result cache of a run, or nil when it has no
// store or its configuration keeps it from using one.
//
// self are the URLs that name this repository (its Git remotes among
// them): which sources are this tree decides what a cluster renders, and a
// remote lives outside the files a record lists as its inputs.
func newResultCache(cfg Config, store Store, repo *source.Repo, self []string, files *cache.FileMemo) *resultCache {
	if store == nil || len(cfg.Sources) > 0 {
		return nil
	}
	for _, loc := range cfg.SchemaLocations {
		if strings.Contains(loc, "://") {
			return nil
		}
	}
	key, err := configKey(cfg, self)
	if err != nil {
		return nil
	}
	listing, err := repo.Listing()
	if err != nil {
		return nil
	}
	return &resultCache{bucket: cache.Bucket{Store: store, Name: "results-v1"}, runKey: key, listing: listing, repo: repo,
		files: files}
}

// load returns a cluster and its findings from the cache when its record
// is still valid.
func (rc *resultCache) load(ctx context.Context, e flux.Entry) (*model.Cluster, []finding.Finding, bool) {
	if rc == nil {
		return nil, nil, false
	}
	var rec clusterRecord
	if !rc.bucket.Load(rc.key(e), &rec) || rec.Listing != rc.listing {
		return nil, nil, false
	}
	for path, sum := range rec.Inputs {
		if rc.hash(path) != sum {
			return nil, nil, false
		}
	}
	if !rc.chartsStand(ctx, rec.Charts) {
		return nil, nil, false
	}
	c := &model.Cluster{Name: e.Name, Path: e.Path, Via: e.Via, Kustomizations: rec.Kustomizations, Releases: rec.Releases,
		FilesRead: rec.FilesRead, External: len(rec.Charts) > 0, Charts: rec.Charts, Restored: &model.Counts{Objects: rec.Objects, HelmReleases: rec.HelmReleases},
		FluxVersion: rec.FluxVersion, KubernetesVersion: rec.KubernetesVersion, Operator: rec.Operator}
	if rec.Findings == nil {
		rec.Findings = []finding.Finding{}
	}
	return c, rec.Findings, true
}

// save keeps the records of the clusters this run rendered and checked,
// with their findings masked by every secret value of the run.
func (rc *resultCache) save(clusters []*model.Cluster, cache *Cache, secrets []string) {
	if rc == nil {
		return
	}
	for _, c := range clusters {
		e := flux.Entry{Name: c.Name, Path: c.Path}
		if c.Restored != nil || (c.External && rc.charts == nil) {
			continue
		}
		fs, ok := cache.findings(c)
		if !ok || failedBuild(fs) || freshChartFailure(c.Charts) {
			continue
		}
		rec := clusterRecord{Listing: rc.listing, Inputs: map[string]string{}, Kustomizations: c.Kustomizations,
			Releases: c.Releases, HelmReleases: c.NumHelmReleases(), Objects: c.NumObjects(), FilesRead: c.FilesRead,
			FluxVersion: c.FluxVersion, KubernetesVersion: c.KubernetesVersion, Operator: c.Operator, Charts: uniqueCharts(c.Charts)}
		for _, path := range c.FilesRead {
			rec.Inputs[path] = rc.hash(path)
		}
		for _, f := range fs {
			isPath := repoPath(rc.repo, findingFolders(rc.repo, f.Pos.File)...)
			f.Message, f.Hint = MaskText(f.Message, secrets, isPath), MaskText(f.Hint, secrets, isPath)
			rec.Findings = append(rec.Findings, f)
		}
		rc.bucket.Keep(rc.key(e), rec)
	}
}

// chartsStand says whether every remote chart a record lists resolves to
// the same version and archive as when it was made.
func (rc *resultCache) chartsStand(ctx context.Context, charts []model.RemoteChart) bool {
	if len(charts) > 0 && rc.charts == nil {
		return false
	}
	for _, want := range charts {
		q := want
		q.Resolved, q.Digest, q.Failed = "", "", ""
		got, err := rc.charts.Resolve(ctx, q)
		if err != nil {
			got.Failed = err.Error()
		}
		if got != want {
			return false
		}
	}
	return true
}

// freshChartFailure says whether a chart could not be had on this run's
// own attempt: such a cluster is not kept, as the next run reports the
// failure as remembered (helm.Remembered), in other words. A failure that
// comes back the same (helm.FailsAgain: remembered already, or a chart
// that --offline does not fetch) is kept, and stands while it does.
func freshChartFailure(charts []model.RemoteChart) bool {
	return slices.ContainsFunc(charts, func(c model.RemoteChart) bool { return c.Failed != "" && !helm.FailsAgain(c.Failed) })
}

// uniqueCharts returns charts sorted, each once.
func uniqueCharts(charts []model.RemoteChart) []model.RemoteChart {
	out := slices.Clone(charts)
	slices.SortFunc(out, func(a, b model.RemoteChart) int {
		return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
	})
	return slices.Compact(out)
}

// failedBuild says whether findings hold a failed kustomize build. Such a
// cluster is not kept: Flux's generator can fail (a broken file in a folder
// without kustomization.yaml) before the build records the files it read,
// so the record would not see the fix of the broken file and would replay
// the failure.
func failedBuild(fs []finding.Finding) bool {
	return slices.ContainsFunc(fs, func(f finding.Finding) bool { return f.RuleID == render.RuleBuild })
}

func (rc *resultCache) key(e flux.Entry) string {
	if e.FluxVersion == "" && e.KubernetesVersion == "" {
		return rc.bucket.Key(rc.runKey, e.Name, e.Path)
	}
	// Versions the configuration gives the cluster change its findings.
	return rc.bucket.Key(rc.runKey, e.Name, e.Path, "flux="+e.FluxVersion, "kubernetes="+e.KubernetesVersion)
}

// hash returns the content hash of a repository file, "" when it cannot
// be read.
func (rc *resultCache) hash(rel string) string {
	return rc.files.Sum(rc.repo.Abs(rel))
}

// configKey hashes the settings that change renders or findings (rule
// settings and suppressions are applied after the cache), the content of
// the files they name (CRDs, policies, data), and the fluxlint build.
func configKey(cfg Config, self []string) (string, error) {
	abs, err := filepath.Abs(cfg.Path)
	if err != nil {
		return "", err
	}
	fields, err := json.Marshal(struct {
		Path, KubernetesVersion, FluxVersion string
		CRDs, SchemaLocations                []string
		Offline, SkipHelm                    bool
		ChartMirrors                         map[string]string
		ExternalObjects                      any
		Policies                             any
		Limits                               Limits
		NoCatalogue                          bool
		CatalogueVersions                    map[string]string
	}{abs, cfg.KubernetesVersion, cfg.FluxVersion, cfg.CRDs, cfg.SchemaLocations, cfg.Offline, cfg.SkipHelm,
		cfg.ChartMirrors, cfg.ExternalObjects, cfg.Policies, cfg.Limits, cfg.NoCatalogue, cfg.CatalogueVersions})
	if err != nil {
		return "", err
	}
	parts := []string{cache.Stamp(), string(fields), strings.Join(self, "\n")}
	named := slices.Concat(cfg.CRDs, cfg.SchemaLocations, cfg.Policies.Dirs, cfg.Policies.DataFiles)
	for _, p := range named {
		parts = append(parts, treeHash(p))
	}
	return cache.Key(parts...), nil
}

// treeHash hashes the paths and contents of a file or of every file below
// a folder; "" when there is nothing to read.
func treeHash(root string) string {
	h := sha256.New()
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			_, _ = io.WriteString(h, p+"\x00"+cache.FileSum(p)+"\x00")
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}
