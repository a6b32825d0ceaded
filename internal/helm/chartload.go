package helm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	fluxchartutil "github.com/fluxcd/pkg/chartutil"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/loader"
	chart "helm.sh/helm/v4/pkg/chart/v2"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/safefile"
)

// loadChart finds and loads a HelmRelease's chart. It returns the position
// that stands for the chart, or a finding when the chart cannot be had.
func (r *releaser) loadChart(ctx context.Context, hr *model.Object) (*chart.Chart, finding.Pos, *finding.Finding) {
	spec, _ := hr.Content["spec"].(map[string]any)
	if ref, ok := spec["chartRef"].(map[string]any); ok {
		at := hr.PosOf([]string{"spec", "chartRef"})
		kind, _ := ref["kind"].(string)
		name, _ := ref["name"].(string)
		ns, _ := ref["namespace"].(string)
		if ns == "" {
			ns = hr.Ref.Namespace
		}
		if kind == "HelmChart" {
			hc, p := r.cluster.Source(hr.Target, kind, ns, name)
			if p != nil {
				return nil, at, p.at(hr.PosOf([]string{"spec", "chartRef", "name"}))
			}
			hcSpec, _ := hc.Content["spec"].(map[string]any)
			return r.loadChartSpec(ctx, hr.Target, hcSpec, ns, at, hc.PosOf([]string{"spec", "sourceRef", "name"}))
		}
		if kind == "ExternalArtifact" {
			return r.externalChart(hr, ns, name, at)
		}
		if kind != "OCIRepository" {
			return nil, at, &finding.Finding{RuleID: RuleChartInvalid, Severity: finding.Error, Pos: at,
				Message: fmt.Sprintf("chartRef kind %q is not OCIRepository, HelmChart or ExternalArtifact", kind)}
		}
		repo, p := r.cluster.Source(hr.Target, kind, ns, name)
		if p != nil {
			return nil, at, p.at(hr.PosOf([]string{"spec", "chartRef", "name"}))
		}
		url := str(repo.Content, "spec", "url")
		ref := OCIRef{Tag: str(repo.Content, "spec", "ref", "tag"), SemVer: str(repo.Content, "spec", "ref", "semver"), Digest: str(repo.Content, "spec", "ref", "digest")}
		return r.ociChart(ctx, url, ref, at)
	}
	at := hr.PosOf([]string{"spec", "chart"})
	chartSpec, _ := value(spec, "chart", "spec").(map[string]any)
	if chartSpec == nil {
		// The HelmRelease CRD's CEL rule reports it (schema-cel); there is
		// nothing to render.
		return nil, at, &finding.Finding{RuleID: RuleChartInvalid, Severity: finding.Info, Pos: hr.Origin,
			Message: "not rendered: the HelmRelease names no chart"}
	}
	return r.loadChartSpec(ctx, hr.Target, chartSpec, hr.Ref.Namespace, at, hr.PosOf([]string{"spec", "chart", "spec", "sourceRef", "name"}))
}

// loadChartSpec loads the chart a chart template (HelmRelease
// spec.chart.spec, or a HelmChart's spec) names.
func (r *releaser) loadChartSpec(ctx context.Context, target string, spec map[string]any, defaultNS string, at, refAt finding.Pos) (*chart.Chart, finding.Pos, *finding.Finding) {
	name := str(spec, "chart")
	kind := str(spec, "sourceRef", "kind")
	srcName := str(spec, "sourceRef", "name")
	ns := str(spec, "sourceRef", "namespace")
	if ns == "" {
		ns = defaultNS
	}
	src, p := r.cluster.Source(target, kind, ns, srcName)
	bootstrapSource := kind == "GitRepository" && ns == "flux-system" && srcName == "flux-system"
	if p != nil && !bootstrapSource {
		return nil, at, p.at(refAt)
	}
	var (
		loaded any
		err    error
		// root is the local source root of a chart from a GitRepository or
		// Bucket, where its valuesFiles are read.
		root string
	)
	switch kind {
	case "HelmRepository":
		url := str(src.Content, "spec", "url")
		if str(src.Content, "spec", "type") == "oci" {
			return r.ociChart(ctx, strings.TrimSuffix(url, "/")+"/"+name, ociVersion(str(spec, "version")), at)
		}
		data, cerr := r.fetch(ctx, model.RemoteChart{Repo: r.charts.mirror(url), Name: name, Version: str(spec, "version")})
		if cerr != nil {
			return nil, at, unavailableFinding(fmt.Sprintf("chart %s %s from %s", name, str(spec, "version"), url), cerr, at)
		}
		if len(stringList(spec["valuesFiles"])) == 0 {
			return r.archiveChart(ctx, data, name, at)
		}
		loaded, err = loader.LoadArchive(bytes.NewReader(data))
	case "GitRepository", "Bucket":
		var (
			p       *Problem
			archive []byte
		)
		loaded, root, archive, p, err = r.localChart(src, kind, name, spec)
		if p != nil {
			return nil, at, p.at(at)
		}
		if archive != nil {
			return r.archiveChart(ctx, archive, name, at)
		}
	default:
		return nil, at, &finding.Finding{RuleID: RuleChartUnavailable, Severity: finding.Warning, Pos: at,
			Message: fmt.Sprintf("chart source kind %q is not supported", kind)}
	}
	return loadedChart(loaded, err, name, spec, root, at)
}

// loadedChart returns a chart that a loader loaded (or failed to), with
// its default values replaced by those of its chart template's
// valuesFiles, read from root when it is a source's root.
func loadedChart(loaded any, err error, name string, spec map[string]any, root string, at finding.Pos) (*chart.Chart, finding.Pos, *finding.Finding) {
	if err != nil {
		return nil, at, &finding.Finding{RuleID: RuleChartInvalid, Severity: finding.Error, Pos: at, Message: "chart " + name + ": " + err.Error()}
	}
	chrt, ok := loaded.(*chart.Chart)
	if !ok {
		return nil, at, &finding.Finding{RuleID: RuleChartInvalid, Severity: finding.Error, Pos: at, Message: "chart " + name + ": unsupported chart apiVersion"}
	}
	if f := applyValuesFiles(chrt, spec, root, at); f != nil {
		return nil, at, f
	}
	return chrt, at, nil
}

// localChart loads a chart from a GitRepository or Bucket and returns it
// with the source root, where its valuesFiles are read; it records the
// chart's files and values files as read. The chart path names a folder
// or, as the source-controller's local builder also accepts, a packaged
// chart archive: that one is returned unloaded (archive) when no
// valuesFiles replace its values, since the source-controller then serves
// the archive as it is.
func (r *releaser) localChart(src *model.Object, kind, name string, spec map[string]any) (loaded any, root string, archive []byte, p *Problem, err error) {
	dir, un := r.localChartDir(src, kind, name)
	if un != nil {
		return nil, "", nil, un, nil
	}
	root = strings.TrimSuffix(dir, filepath.Clean("/"+filepath.FromSlash(name)))
	valuesFiles := stringList(spec["valuesFiles"])
	for _, f := range valuesFiles {
		r.cluster.Read(filepath.Join(root, filepath.Clean("/"+filepath.FromSlash(f))))
	}
	if info, serr := os.Stat(dir); serr == nil && info.Mode().IsRegular() {
		r.cluster.Read(dir)
		data, rerr := safefile.ReadFileLimit(dir, r.charts.maxChartSize())
		switch {
		case rerr != nil:
			return nil, root, nil, nil, rerr
		case len(valuesFiles) > 0:
			loaded, err = loadArchive(data)
			return loaded, root, nil, nil, err
		}
		return nil, root, data, nil, nil
	}
	loaded, err = loader.LoadDir(dir)
	r.readTree(dir)
	return loaded, root, nil, nil, err
}

// stringList returns the strings of a decoded YAML list.
func stringList(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// externalChart loads the chart of an ExternalArtifact (Flux 2.7 and
// later): the folder of a local source that an ArtifactGenerator makes it
// of, and records its files as read.
func (r *releaser) externalChart(hr *model.Object, namespace, name string, at finding.Pos) (*chart.Chart, finding.Pos, *finding.Finding) {
	artifact, chartPath, p := r.cluster.ExternalArtifact(hr.Target, namespace, name)
	if p != nil {
		return nil, at, p.at(hr.PosOf([]string{"spec", "chartRef", "name"}))
	}
	dir, p := confinedChartDir(artifact, chartPath)
	if p != nil {
		return nil, at, p.at(at)
	}
	loaded, err := loader.LoadDir(dir)
	r.readTree(dir)
	if err != nil {
		return nil, at, &finding.Finding{RuleID: RuleChartInvalid, Severity: finding.Error, Pos: at,
			Message: fmt.Sprintf("chart of ExternalArtifact %s/%s: %s", namespace, name, err)}
	}
	chrt, ok := loaded.(*chart.Chart)
	if !ok {
		return nil, at, &finding.Finding{RuleID: RuleChartInvalid, Severity: finding.Error, Pos: at,
			Message: fmt.Sprintf("chart of ExternalArtifact %s/%s: unsupported chart apiVersion", namespace, name)}
	}
	return chrt, at, nil
}

// localChartDir resolves a chart path in a GitRepository or Bucket to a
// folder of the local tree, which neither the path nor a symbolic link
// below it may leave.
func (r *releaser) localChartDir(src *model.Object, kind, chartPath string) (string, *Problem) {
	artifact, p := r.cluster.Artifact(src, kind)
	if p != nil {
		return "", p
	}
	return confinedChartDir(artifact, chartPath)
}

// confinedChartDir resolves a chart path in an artifact to a folder of the
// local tree, which neither the path nor a symbolic link below it may
// leave.
func confinedChartDir(artifact *render.Artifact, chartPath string) (string, *Problem) {
	dir := artifact.Join(chartPath)
	if !strings.HasPrefix(dir+string(filepath.Separator), artifact.Root+string(filepath.Separator)) {
		return "", &Problem{Rule: RuleChartInvalid, Severity: finding.Error, Message: fmt.Sprintf("chart path %q leaves the source", chartPath)}
	}
	// Symbolic links may not lead out of the source either: Helm's loader
	// follows them (issue 9, testdata/bad/symlink-escape-chart).
	if err := safefile.ConfinedTree(artifact.Root, dir); err != nil {
		return "", &Problem{Rule: RuleChartInvalid, Severity: finding.Error, Message: fmt.Sprintf("chart path %q: %s", chartPath, err)}
	}
	return dir, nil
}

// ociChart pulls and loads a chart from an OCI repository.
func (r *releaser) ociChart(ctx context.Context, url string, ref OCIRef, at finding.Pos) (*chart.Chart, finding.Pos, *finding.Finding) {
	data, err := r.fetch(ctx, ociRequest(r.charts.mirror(url), ref))
	if err != nil {
		return nil, at, unavailableFinding("chart "+url, err, at)
	}
	return r.archiveChart(ctx, data, url, at)
}

// unavailableFinding says that a chart (what) cannot be had, and how to fill the
// chart cache when the run is offline. A chart that is only not cached in
// an offline run is information, not a warning: the run chose not to
// download it (the editor's runs always do), and nothing is wrong in the
// repository; a warning at every HelmRelease would bury those that are.
func unavailableFinding(what string, err error, at finding.Pos) *finding.Finding {
	f := &finding.Finding{RuleID: RuleChartUnavailable, Severity: finding.Warning, Pos: at,
		Message: fmt.Sprintf("%s cannot be had: %s", what, err)}
	if errors.Is(err, ErrOffline) {
		f.Severity = finding.Info
		f.Hint = "run `fluxlint charts pull` while online to fill the chart cache"
	}
	return f
}

// archiveChart returns the chart of an archive from a chart repository or
// registry, named by what in findings: not loaded (nil, with r.lazy set)
// when the facts of the archive and of the dependencies it fetches are
// kept, else loaded, its facts kept. Either way the output cache keys the
// release by the archives' digests (r.chartKey).
func (r *releaser) archiveChart(ctx context.Context, data []byte, what string, at finding.Pos) (*chart.Chart, finding.Pos, *finding.Finding) {
	lazy, f := r.lazyArchive(ctx, data, at)
	if f != nil || lazy != nil {
		r.lazy = lazy
		return nil, at, f
	}
	chrt, err := loadArchive(data)
	if err != nil {
		return nil, at, &finding.Finding{RuleID: RuleChartInvalid, Severity: finding.Error, Pos: at, Message: "chart " + what + ": " + err.Error()}
	}
	digest := archiveDigest(data)
	r.charts.keepFacts(digest, factsOf(chrt))
	r.chartKey, r.archiveKeyed = digest, true
	return chrt, at, nil
}

// fetch fetches a chart from a chart repository or registry and records
// its resolution, or its failure, as something the render read from
// outside the repository.
func (r *releaser) fetch(ctx context.Context, q model.RemoteChart) ([]byte, error) {
	r.external = true
	data, res, err := r.charts.Repositories.Fetch(ctx, q)
	if err != nil {
		q.Failed = err.Error()
		r.resolved = append(r.resolved, q)
		return nil, err
	}
	r.resolved = append(r.resolved, res)
	return data, nil
}

// ociRequest is the request of a chart from an OCI repository.
func ociRequest(url string, ref OCIRef) model.RemoteChart {
	return model.RemoteChart{Repo: url, Tag: ref.Tag, SemVer: ref.SemVer, Ref: ref.Digest}
}

// addDependencies fetches the dependencies a chart's Chart.yaml names and
// its charts/ folder lacks, from the repositories they name (HTTP or OCI,
// through the cache and mirrors), as the source-controller does when it
// builds a chart. Local file:// dependencies of a local chart are loaded
// from disk by Helm's loader already.
func (r *releaser) addDependencies(ctx context.Context, chrt *chart.Chart, at finding.Pos) *finding.Finding {
	for _, dep := range missingDeps(chrt) {
		data, err := r.fetchDependency(ctx, dep)
		var d *chart.Chart
		if err == nil {
			d, err = loadArchive(data)
		}
		if err != nil {
			return dependencyFinding(dep, chrt.Metadata.Name, err, at)
		}
		chrt.AddDependency(d)
		if r.archiveKeyed {
			r.chartKey += "," + archiveDigest(data)
		}
	}
	return nil
}

// fetchDependency fetches a dependency of a chart from the repository it
// names (HTTP or OCI, through the cache and mirrors).
func (r *releaser) fetchDependency(ctx context.Context, dep depRef) ([]byte, error) {
	repo := dep.Repository
	r.external = r.external || strings.Contains(repo, "://")
	switch {
	case strings.HasPrefix(repo, "oci://"):
		return r.fetch(ctx, ociRequest(r.charts.mirror(strings.TrimSuffix(repo, "/")+"/"+dep.Name), ociVersion(dep.Version)))
	case strings.HasPrefix(repo, "https://") || strings.HasPrefix(repo, "http://"):
		return r.fetch(ctx, model.RemoteChart{Repo: r.charts.mirror(repo), Name: dep.Name, Version: dep.Version})
	default:
		return nil, fmt.Errorf("repository %q is not a URL this offline check can follow (vendor it in charts/)", repo)
	}
}

// dependencyFinding says that a dependency of a chart cannot be had.
func dependencyFinding(dep depRef, chartName string, err error, at finding.Pos) *finding.Finding {
	return unavailableFinding(fmt.Sprintf("dependency %s %s of chart %s", dep.Name, dep.Version, chartName), err, at)
}

// valuesSchemaFindings reports each value that breaks the chart's
// values.schema.json at the inline value when the HelmRelease writes it,
// else at the chart.
func valuesSchemaFindings(hr *model.Object, chrt *chart.Chart, se *SchemaError, at finding.Pos) []finding.Finding {
	var out []finding.Finding
	for _, v := range se.Violations {
		pos := at
		path := append([]string{"spec", "values"}, v.Path...)
		if value(hr.Content, path...) != nil {
			pos = hr.PosOf(path)
		}
		out = append(out, finding.Finding{RuleID: RuleValuesSchema, Severity: finding.Error, Pos: pos,
			Message: fmt.Sprintf("value %s breaks the values schema of chart %s %s: %s", strings.Join(v.Path, "."), chrt.Metadata.Name, chrt.Metadata.Version, v.Message)})
	}
	return out
}

// applyValuesFiles replaces a chart's default values with the merge of
// chart.spec.valuesFiles, as the source-controller does when it packages
// the chart: files of the chart for a chart repository, files of the
// source root for a GitRepository or Bucket.
func applyValuesFiles(chrt *chart.Chart, spec map[string]any, root string, at finding.Pos) *finding.Finding {
	files, _ := spec["valuesFiles"].([]any)
	if len(files) == 0 {
		return nil
	}
	ignoreMissing, _ := spec["ignoreMissingValuesFiles"].(bool)
	merged := map[string]any{}
	for _, f := range files {
		name, _ := f.(string)
		data, ok := chartFile(chrt, root, name)
		if !ok {
			if ignoreMissing {
				continue
			}
			return &finding.Finding{RuleID: RuleChartInvalid, Severity: finding.Error, Pos: at,
				Message: fmt.Sprintf("values file %q of chart %s not found", name, chrt.Metadata.Name)}
		}
		values, err := common.ReadValues(data)
		if err != nil {
			return &finding.Finding{RuleID: RuleChartInvalid, Severity: finding.Error, Pos: at,
				Message: fmt.Sprintf("values file %q of chart %s: %s", name, chrt.Metadata.Name, err)}
		}
		merged = fluxchartutil.MergeMaps(merged, values)
	}
	chrt.Values = merged
	return nil
}

// chartFile reads a values file from the source root when there is one,
// else from the chart.
func chartFile(chrt *chart.Chart, root, name string) ([]byte, bool) {
	if root != "" {
		p := filepath.Join(root, filepath.Clean("/"+filepath.FromSlash(name)))
		if safefile.Confined(root, p) != nil {
			return nil, false
		}
		data, err := safefile.ReadFile(p)
		return data, err == nil
	}
	clean := strings.TrimPrefix(path.Clean("/"+name), "/")
	for _, f := range chrt.Raw {
		if f.Name == clean {
			return f.Data, true
		}
	}
	return nil, false
}
