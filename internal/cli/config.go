package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/check"

	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/safefile"
	"github.com/fluxlint/fluxlint/internal/source"
	"github.com/fluxlint/fluxlint/internal/xref"
)

// ConfigFile is the name of the configuration file at the repository root.
const ConfigFile = ".fluxlint.yaml"

// A Config is the content of .fluxlint.yaml; flags override it.
type Config struct {
	// KubernetesVersion selects the built-in schemas, e.g. "1.35".
	KubernetesVersion string `yaml:"kubernetesVersion"`
	// Clusters replaces cluster discovery.
	Clusters []ClusterConfig `yaml:"clusters"`
	// Sources maps Git, OCI and Bucket URLs to local folders; "." is this
	// repository. An OCI or Bucket URL also maps the URLs below it, to
	// subfolders.
	Sources map[string]string `yaml:"sources"`
	// FailOn is the lowest severity that fails the run.
	FailOn string `yaml:"failOn"`
	// Offline forbids all network use, as --offline does.
	Offline bool `yaml:"offline"`
	// CacheDir is the chart cache folder, as --cache-dir sets it.
	CacheDir string `yaml:"cacheDir"`
	// ChartTTL is how long a resolved chart version, an index, a tag list
	// or a failure to fetch a chart is trusted (a Go duration, at least
	// the default 10m: a repository's configuration may make fluxlint
	// fetch less often, never more), as --chart-ttl sets it.
	ChartTTL string `yaml:"chartTTL"`
	// ChartMirrors maps chart repository URL prefixes (https:// or oci://)
	// to mirrors to fetch charts from instead.
	ChartMirrors map[string]string `yaml:"chartMirrors"`
	// ExternalObjects exist in the live cluster but not in the repository.
	ExternalObjects []xref.ExternalObject `yaml:"externalObjects"`
	// Policies are folders of Rego policies (conftest style), relative to
	// the configuration file, as --policy adds.
	Policies []string `yaml:"policies"`
	// Data are JSON or YAML files for the policies, as --data adds.
	Data []string `yaml:"data"`
	// Combine gives the policies the whole cluster as input, as --combine.
	Combine bool `yaml:"combine"`
	// FluxVersion selects the embedded Flux CRDs, as --flux-version does.
	FluxVersion string `yaml:"fluxVersion"`
	// CRDs are files or folders of CustomResourceDefinitions, relative to
	// the configuration file, as --crd adds.
	CRDs []string `yaml:"crds"`
	// SchemaLocations are kubeconform-style schema locations, as
	// --schema-location adds; local paths are relative to the
	// configuration file.
	SchemaLocations []string `yaml:"schemaLocations"`
	// Catalogue, when false, turns the embedded CRD catalogue off, as
	// --no-catalogue does; unset means on.
	Catalogue *bool `yaml:"catalogue"`
	// CatalogueVersions pins projects of the CRD catalogue to another
	// embedded version, e.g. gateway-api: v1.6.3.
	CatalogueVersions map[string]string `yaml:"catalogueVersions"`
	// Rules change the severity of any rule, by ID, or turn it off.
	Rules map[string]RuleConfig `yaml:"rules"`
	// Limits bound what a run reads, renders and downloads.
	Limits LimitsConfig `yaml:"limits"`
}

// A LimitsConfig bounds what a run reads, renders and downloads; unset
// fields keep their defaults (check.DefaultLimits).
type LimitsConfig struct {
	// MaxFileSize is the largest file read, in bytes.
	MaxFileSize int `yaml:"maxFileSize"`
	// MaxDocuments is the largest number of YAML documents in one file.
	MaxDocuments int `yaml:"maxDocuments"`
	// MaxBuildDocuments is the largest number of YAML documents that the
	// files of one kustomize build hold together.
	MaxBuildDocuments int `yaml:"maxBuildDocuments"`
	// RenderTimeout bounds each HelmRelease's render (a Go duration: 30s).
	RenderTimeout string `yaml:"renderTimeout"`
	// MaxChartSize is the largest chart archive downloaded, in bytes.
	MaxChartSize int `yaml:"maxChartSize"`
	// DownloadTimeout bounds each download of a chart or an index.
	DownloadTimeout string `yaml:"downloadTimeout"`
	// PolicyBudget bounds the evaluation time of all policies of a run
	// together (a Go duration: 60s).
	PolicyBudget string `yaml:"policyBudget"`
	// PolicyMemory is the heap, in bytes, at which policy evaluation stops.
	PolicyMemory int `yaml:"policyMemory"`
}

// limits reads the limits of the configuration.
func (l LimitsConfig) limits() (check.Limits, error) {
	out := check.Limits{MaxFileSize: int64(l.MaxFileSize), MaxDocuments: l.MaxDocuments, MaxBuildDocuments: l.MaxBuildDocuments,
		MaxChartSize: int64(l.MaxChartSize),
		PolicyMemory: int64(l.PolicyMemory)}
	for _, d := range []struct {
		key, value string
		into       *time.Duration
	}{
		{"renderTimeout", l.RenderTimeout, &out.RenderTimeout},
		{"downloadTimeout", l.DownloadTimeout, &out.DownloadTimeout},
		{"policyBudget", l.PolicyBudget, &out.PolicyBudget},
	} {
		if d.value == "" {
			continue
		}
		v, err := time.ParseDuration(d.value)
		if err != nil || v <= 0 {
			return out, fmt.Errorf("config: limits.%s: %q is not a positive duration such as 30s", d.key, d.value)
		}
		*d.into = v
	}
	if l.MaxFileSize < 0 || l.MaxDocuments < 0 || l.MaxBuildDocuments < 0 || l.MaxChartSize < 0 || l.PolicyMemory < 0 {
		return out, fmt.Errorf("config: limits must not be negative")
	}
	return out, nil
}

// chartTTL reads chartTTL: unset is zero (the default), and a value below
// the default is refused, since the configuration is untrusted and a
// shorter TTL means more requests.
func (cfg Config) chartTTL() (time.Duration, error) {
	if cfg.ChartTTL == "" {
		return 0, nil
	}
	v, err := time.ParseDuration(cfg.ChartTTL)
	if err != nil || v < helm.DefaultChartTTL {
		return 0, fmt.Errorf("config: chartTTL: %q is not a duration of at least %s (a shorter one is --chart-ttl's to set)", cfg.ChartTTL, helm.DefaultChartTTL)
	}
	return v, nil
}

// A RuleConfig is the setting of one rule: severity error, warning, info
// or off.
type RuleConfig struct {
	Severity string `yaml:"severity"`
}

// A ClusterConfig names a cluster and its entry folder.
type ClusterConfig struct {
	Name string `yaml:"name"`
	Path string `yaml:"path"`
	// FluxVersion and KubernetesVersion, when set, are the versions this
	// cluster runs; they win over --flux-version and --kubernetes-version
	// and over what the repository says (a FluxInstance's
	// spec.distribution.version).
	FluxVersion       string `yaml:"fluxVersion"`
	KubernetesVersion string `yaml:"kubernetesVersion"`
}

// maxConfigSize bounds the configuration file.
const maxConfigSize = 1 << 20

// loadConfig reads the configuration file; a missing default file is no
// error. An unknown key is an error naming its line. The default file, the
// repository's own, is untrusted: it must be a regular file inside the
// repository and every path it names must stay there (confineConfig). A
// relative cacheDir is relative to the file's folder.
func loadConfig(path string, explicit bool) (Config, error) {
	var cfg Config
	if !explicit {
		if err := confineConfigFile(path); err != nil {
			return cfg, err
		}
	}
	data, err := safefile.ReadFileLimit(path, maxConfigSize)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return cfg, nil
		}
		return cfg, fmt.Errorf("read config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil && err.Error() != "EOF" {
		msg := strings.ReplaceAll(err.Error(), "\n", "; ")
		msg = strings.TrimPrefix(strings.TrimPrefix(msg, "yaml: unmarshal errors:; "), "yaml: ")
		return cfg, fmt.Errorf("%s: %s", filepath.Base(path), strings.TrimSpace(msg))
	}
	if !explicit {
		if err := confineConfig(cfg, path, data, filepath.Dir(path)); err != nil {
			return cfg, err
		}
	}
	if cfg.CacheDir != "" && !filepath.IsAbs(cfg.CacheDir) {
		cfg.CacheDir = filepath.Join(filepath.Dir(path), cfg.CacheDir)
	}
	return cfg, nil
}

// confineConfigFile refuses a repository's configuration file that is a
// symbolic link out of the repository.
func confineConfigFile(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	resolved, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil //nolint:nilerr // a missing file is no configuration; a broken one is the read's to report
	}
	root, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil || !within(root, resolved) {
		return fmt.Errorf("%s: a symbolic link out of the repository", filepath.Base(path))
	}
	return nil
}

// parseClusters reads --cluster NAME=PATH values; a bare PATH is named
// after its folder.
func parseClusters(values []string, fromConfig []ClusterConfig) ([]flux.Entry, error) {
	var out []flux.Entry
	for _, c := range fromConfig {
		if c.Name == "" || c.Path == "" {
			return nil, fmt.Errorf("config: every cluster needs a name and a path")
		}
		out = append(out, flux.Entry{Name: c.Name, Path: filepath.ToSlash(filepath.Clean(c.Path)),
			FluxVersion: c.FluxVersion, KubernetesVersion: c.KubernetesVersion})
	}
	if len(values) > 0 {
		out = nil
	}
	for _, v := range values {
		name, path, ok := strings.Cut(v, "=")
		if !ok {
			path = name
			name = flux.ClusterName(filepath.ToSlash(filepath.Clean(path)))
		}
		if name == "" || path == "" {
			return nil, fmt.Errorf("--cluster %q: want NAME=PATH", v)
		}
		out = append(out, flux.Entry{Name: name, Path: filepath.ToSlash(filepath.Clean(path))})
	}
	return out, nil
}

// discover lists the clusters of the repository at path.
func discover(path string) ([]flux.Entry, error) {
	repo, err := source.Open(path)
	if err != nil {
		return nil, err
	}
	return flux.Discover(repo, nil)
}
