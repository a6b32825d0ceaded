package helm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"strings"
	"time"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	release "helm.sh/helm/v4/pkg/release/v1"
	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/cache"
)

// DefaultTimeout bounds one release's render.
const DefaultTimeout = 30 * time.Second

// A Release says what to template.
type Release struct {
	// Chart is the chart, or nil when LoadChart loads it when the render
	// is not in the cache; ChartKey, when set, stands for it in the
	// cache's key (it names the chart's content, e.g. archive digests).
	Chart     *chart.Chart
	LoadChart func() (*chart.Chart, error)
	ChartKey  string
	Values    map[string]any
	Name      string
	Namespace string
	// KubeVersion is the target Kubernetes version, e.g. "1.37".
	KubeVersion string
	// APIVersions are the group/versions and group/version/kinds the
	// cluster serves, for .Capabilities.APIVersions.Has.
	APIVersions []string
	// IncludeCRDs renders the chart's crds/ folder too.
	IncludeCRDs bool
	// SkipSchemaValidation skips values.schema.json.
	SkipSchemaValidation bool
	// Timeout bounds the render; zero means DefaultTimeout.
	Timeout time.Duration
	// Cache, when set, keeps rendered manifests between runs, keyed by
	// the content of everything the render reads; CacheSalt names the
	// fluxlint build, so that a new build never reuses an old render.
	Cache     cache.Store
	CacheSalt string
	// Secrets are the values of the release that come from Secrets. The
	// cache keeps such a release's output encrypted with a key derived
	// from them, so that a cache file tells nothing to whoever does not
	// have the repository's secrets already.
	Secrets []string
}

// A Manifest is one rendered document and the chart template it came from.
type Manifest struct {
	Template string
	Content  map[string]any
	// text is the document as Helm wrote it, for Rewrite.
	text string
}

// Template renders a chart as `helm template` does with the Helm 4 SDK in
// client-only mode: lookup returns nothing, no plugin or post-renderer
// binary runs. Hooks are included, as Flux applies them too.
func Template(ctx context.Context, r Release) ([]Manifest, error) {
	key := ""
	if r.Cache != nil {
		// A release whose values cannot be hashed is rendered every time.
		key, _ = outputKey(r)
	}
	if manifests, ok := loadOutput(r, key); ok {
		return manifests, nil
	}
	if r.Chart == nil {
		if r.LoadChart == nil {
			return nil, errors.New("no chart")
		}
		c, err := r.LoadChart()
		if err != nil {
			return nil, err
		}
		r.Chart = c
	}
	stream, err := template(ctx, r)
	if err != nil {
		return nil, err
	}
	manifests := splitManifest(stream)
	keepOutput(r, key, manifests)
	return manifests, nil
}

// template renders a chart and returns its manifest stream, the hooks'
// documents after the release's, each with its "# Source:" line.
func template(ctx context.Context, r Release) (string, error) {
	timeout := r.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	cfg := action.NewConfiguration(action.ConfigurationSetLogger(slog.NewTextHandler(io.Discard, nil)))
	// The render's own bounds (bounds.go) come with the instrumented copy
	// of the chart; the functions that grow values are bounded one by one
	// (guard.go).
	guard := newRenderGuard(ctx)
	funcs := guardedFuncs()
	maps.Copy(funcs, guard.funcs())
	cfg.CustomTemplateFuncs = funcs
	install := action.NewInstall(cfg)
	install.DryRunStrategy = action.DryRunClient
	install.Replace = true
	install.ReleaseName = r.Name
	install.Namespace = r.Namespace
	install.IncludeCRDs = r.IncludeCRDs
	install.SkipSchemaValidation = r.SkipSchemaValidation
	install.DisableOpenAPIValidation = true
	kv, err := common.ParseKubeVersion(r.KubeVersion)
	if err != nil {
		return "", fmt.Errorf("kubernetes version %q: %w", r.KubeVersion, err)
	}
	install.KubeVersion = kv
	install.APIVersions = r.APIVersions

	type result struct {
		rel *release.Release
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: fmt.Errorf("helm panicked: %v", p)}
			}
		}()
		rel, err := install.RunWithContext(ctx, instrumentedChart(r.Chart), r.Values)
		out, _ := rel.(*release.Release)
		done <- result{out, err}
	}()
	var res result
	select {
	case res = <-done:
	case <-ctx.Done():
		return "", fmt.Errorf("rendering took longer than %s", timeout)
	}
	if res.err != nil {
		if se := schemaError(res.err); se != nil {
			return "", se
		}
		return "", cleanError(res.err)
	}
	if res.rel == nil {
		return "", errors.New("helm returned no release")
	}
	return manifestStream(res.rel)
}

// manifestStream returns a release's manifest stream, the hooks' documents
// after the release's, each with its "# Source:" line; a stream over
// MaxRenderOutput is an error.
func manifestStream(rel *release.Release) (string, error) {
	size := len(rel.Manifest)
	for _, h := range rel.Hooks {
		size += len(h.Manifest)
	}
	if size > MaxRenderOutput {
		return "", fmt.Errorf("%w: the chart rendered %d MiB, over the limit of %d MiB", errStopped, size>>20, MaxRenderOutput>>20)
	}
	var b strings.Builder
	b.WriteString(rel.Manifest)
	for _, h := range rel.Hooks {
		b.WriteString("\n---\n# Source: " + h.Path + "\n" + h.Manifest)
	}
	return b.String(), nil
}

// maxErrorLength bounds the message of a template error, which quotes
// templates and values.
const maxErrorLength = 2000

// cleanError keeps the part of a template error a person needs.
func cleanError(err error) error {
	msg := err.Error()
	if i := strings.LastIndex(msg, errStopped.Error()+":"); i >= 0 {
		// A bound stopped the render, maybe deep in nested tpl calls
		// whose errors wrap one another: what stopped it is enough.
		return errors.New(strings.Join(strings.Fields(msg[i:]), " "))
	}
	if len(msg) > maxErrorLength {
		msg = msg[:maxErrorLength/2] + " … " + msg[len(msg)-maxErrorLength/2:]
	}
	msg = strings.TrimPrefix(msg, "failed to render resource: ")
	return errors.New(strings.Join(strings.Fields(msg), " "))
}

// splitManifest cuts Helm's manifest stream into documents, keeping the
// "# Source:" template path of each.
func splitManifest(stream string) []Manifest {
	var out []Manifest
	template := ""
	for _, doc := range strings.Split("\n"+stream, "\n---") {
		for _, line := range strings.Split(doc, "\n") {
			if src, ok := strings.CutPrefix(strings.TrimSpace(line), "# Source: "); ok {
				template = src
				break
			}
		}
		var content map[string]any
		if err := yaml.Unmarshal([]byte(doc), &content); err != nil || len(content) == 0 {
			continue
		}
		out = append(out, Manifest{Template: template, Content: content, text: doc})
	}
	return out
}
