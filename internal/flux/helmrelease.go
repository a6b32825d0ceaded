package flux

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	fluxchartutil "github.com/fluxcd/pkg/chartutil"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/loader"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/safefile"
)

// Rule IDs of the findings about HelmReleases.
const (
	RuleChartUnavailable = "helm-chart-unavailable"
	RuleChartInvalid     = "helm-chart-invalid"
	RuleValues           = "helm-values"
	RuleTemplate         = "helm-template"
	RuleValuesSchema     = "helm-values-schema"
)

// Charts configures how HelmReleases are rendered in a run.
type Charts struct {
	// Repositories fetches charts from HTTP chart repositories.
	Repositories *helm.Repositories
	// KubeVersion is the target Kubernetes version, e.g. "1.37".
	KubeVersion string
	// Mirrors maps chart repository URL prefixes (https:// or oci://) to
	// the URLs to fetch them from instead.
	Mirrors map[string]string
	// RenderTimeout bounds each release's render; zero is helm.DefaultTimeout.
	RenderTimeout time.Duration
	// Output, when set, keeps rendered charts between runs; OutputSalt
	// names the fluxlint build (see helm.Release).
	Output     helm.Store
	OutputSalt string
}

// mirror rewrites a chart repository URL by the longest matching prefix.
func (ch *Charts) mirror(url string) string {
	best := ""
	for from := range ch.Mirrors {
		if strings.HasPrefix(url, from) && len(from) > len(best) {
			best = from
		}
	}
	if best == "" {
		return url
	}
	return ch.Mirrors[best] + strings.TrimPrefix(url, best)
}

// renderHelmReleases renders every HelmRelease found, after all
// Kustomizations, so that valuesFrom finds its ConfigMaps and Secrets.
func (c *cluster) renderHelmReleases(ctx context.Context) {
	if c.sources.Charts == nil {
		return
	}
	for _, hr := range c.HelmReleases {
		if ctx.Err() != nil {
			return
		}
		objs, fs := c.renderHelmRelease(ctx, hr)
		for i := range fs {
			fs[i].Object, fs[i].Chain = hr.Ref, hr.Chain
		}
		c.Findings = append(c.Findings, fs...)
		if objs != nil {
			c.Releases++
		}
		c.add(objs)
	}
}

func (c *cluster) renderHelmRelease(ctx context.Context, hr *model.Object) ([]*model.Object, []finding.Finding) {
	spec, _ := hr.Content["spec"].(map[string]any)
	chrt, at, f := c.loadChart(ctx, hr)
	if f != nil {
		return nil, []finding.Finding{*f}
	}
	if f := c.addDependencies(ctx, chrt, at); f != nil {
		return nil, []finding.Finding{*f}
	}
	namespace := hr.Ref.Namespace
	if tn := str(spec, "targetNamespace"); tn != "" {
		namespace = tn
	}
	sources := c.valuesSources(hr, spec)
	values, err := helm.Values(ctx, render.FakeClient(sources), hr.Ref.Namespace, spec)
	if err != nil {
		pos := hr.PosOf([]string{"spec", "valuesFrom"})
		var ve *helm.ValuesError
		if errors.As(err, &ve) {
			pos = hr.PosOf([]string{"spec", "valuesFrom", fmt.Sprint(ve.Index)})
		}
		return nil, []finding.Finding{{RuleID: RuleValues, Severity: finding.Error, Pos: pos, Message: "values: " + err.Error()}}
	}
	secrets := valuesSecrets(sources)
	manifests, err := helm.Template(ctx, helm.Release{
		Chart: chrt, Values: values, Namespace: namespace,
		Name:                 model.ReleaseName(hr.Ref.Name, str(spec, "releaseName"), str(spec, "targetNamespace")),
		KubeVersion:          c.sources.Charts.KubeVersion,
		APIVersions:          c.crdVersions(),
		IncludeCRDs:          str(spec, "install", "crds") != "Skip",
		SkipSchemaValidation: value(spec, "install", "disableSchemaValidation") == true,
		Timeout:              c.sources.Charts.RenderTimeout,
		Cache:                c.sources.Charts.Output,
		Secrets:              append(append([]string(nil), secrets...), hr.Secrets...),
		CacheSalt:            c.sources.Charts.OutputSalt,
	})
	if err == nil {
		helm.Rewrite(manifests, spec)
		postRenderers, _ := spec["postRenderers"].([]any)
		manifests, err = helm.PostRender(manifests, postRenderers, str(spec, "postRenderStrategy"))
	}
	var se *helm.SchemaError
	if errors.As(err, &se) && len(se.Violations) > 0 {
		return nil, valuesSchemaFindings(hr, chrt, se, at)
	}
	if err != nil {
		return nil, []finding.Finding{{RuleID: RuleTemplate, Severity: finding.Error, Pos: at,
			Message: fmt.Sprintf("chart %s %s does not render: %s", chrt.Metadata.Name, chrt.Metadata.Version, err)}}
	}
	common, _ := spec["commonMetadata"].(map[string]any)
	helm.SetMetadata(manifests, common, hr.Ref.Name, hr.Ref.Namespace, str(spec, "postRenderStrategy"))
	chain := append(append([]string(nil), hr.Chain...), refString(hr))
	var objs []*model.Object
	for _, m := range manifests {
		o := &model.Object{Content: m.Content, Origin: at, Chain: chain, Release: hr, Template: m.Template, Secrets: secrets, Target: model.OutputTarget(hr)}
		o.Ref = refOfContent(m.Content)
		if o.Ref.Namespace == "" && !c.scope.ClusterScoped(o.Ref.APIVersion, o.Ref.Kind) {
			// Helm and the API server place such objects in the release
			// namespace.
			o.Ref.Namespace = namespace
			meta, _ := m.Content["metadata"].(map[string]any)
			if meta != nil {
				meta["namespace"] = namespace
			}
		}
		objs = append(objs, o)
	}
	return objs, nil
}

// valuesSources returns the ConfigMaps and Secrets that a HelmRelease's
// valuesFrom names, of those the cluster has: all the fake client that
// reads them needs (a client of every one of them, for every release,
// cost time in the square of the releases).
func (c *cluster) valuesSources(hr *model.Object, spec map[string]any) []*model.Object {
	refs, _ := spec["valuesFrom"].([]any)
	var out []*model.Object
	for _, r := range refs {
		rm, _ := r.(map[string]any)
		kind, _ := rm["kind"].(string)
		name, _ := rm["name"].(string)
		if o := c.lookup(hr.Target, kind, hr.Ref.Namespace, name); o != nil && (kind == "ConfigMap" || kind == "Secret") {
			out = append(out, o)
		}
	}
	return out
}

func refOfContent(content map[string]any) finding.ObjectRef {
	return finding.ObjectRef{
		APIVersion: str(content, "apiVersion"), Kind: str(content, "kind"),
		Namespace: str(content, "metadata", "namespace"), Name: str(content, "metadata", "name"),
	}
}

// loadChart finds and loads a HelmRelease's chart. It returns the position
// that stands for the chart, or a finding when the chart cannot be had.
func (c *cluster) loadChart(ctx context.Context, hr *model.Object) (*chart.Chart, finding.Pos, *finding.Finding) {
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
			hc := c.lookup(hr.Target, kind, ns, name)
			if hc == nil {
				return nil, at, missing(hr.PosOf([]string{"spec", "chartRef", "name"}), kind, ns, name)
			}
			hcSpec, _ := hc.Content["spec"].(map[string]any)
			return c.loadChartSpec(ctx, hr.Target, hcSpec, ns, at, hc.PosOf([]string{"spec", "sourceRef", "name"}))
		}
		if kind != "OCIRepository" {
			return nil, at, &finding.Finding{RuleID: RuleChartInvalid, Severity: finding.Error, Pos: at,
				Message: fmt.Sprintf("chartRef kind %q is not OCIRepository or HelmChart", kind)}
		}
		repo := c.lookup(hr.Target, kind, ns, name)
		if repo == nil {
			return nil, at, missing(hr.PosOf([]string{"spec", "chartRef", "name"}), kind, ns, name)
		}
		url := str(repo.Content, "spec", "url")
		ref := helm.OCIRef{Tag: str(repo.Content, "spec", "ref", "tag"), SemVer: str(repo.Content, "spec", "ref", "semver"), Digest: str(repo.Content, "spec", "ref", "digest")}
		return c.ociChart(ctx, url, ref, at)
	}
	at := hr.PosOf([]string{"spec", "chart"})
	chartSpec, _ := value(spec, "chart", "spec").(map[string]any)
	if chartSpec == nil {
		// The HelmRelease CRD's CEL rule reports it (schema-cel); there is
		// nothing to render.
		return nil, at, &finding.Finding{RuleID: RuleChartInvalid, Severity: finding.Info, Pos: hr.Origin,
			Message: "not rendered: the HelmRelease names no chart"}
	}
	return c.loadChartSpec(ctx, hr.Target, chartSpec, hr.Ref.Namespace, at, hr.PosOf([]string{"spec", "chart", "spec", "sourceRef", "name"}))
}

func missing(at finding.Pos, kind, ns, name string) *finding.Finding {
	return &finding.Finding{RuleID: RuleSourceMissing, Severity: finding.Error, Pos: at,
		Message: fmt.Sprintf("chart source %s %s/%s is not defined in this cluster", kind, ns, name)}
}

// loadChartSpec loads the chart a chart template (HelmRelease
// spec.chart.spec, or a HelmChart's spec) names.
func (c *cluster) loadChartSpec(ctx context.Context, target string, spec map[string]any, defaultNS string, at, refAt finding.Pos) (*chart.Chart, finding.Pos, *finding.Finding) {
	name := str(spec, "chart")
	kind := str(spec, "sourceRef", "kind")
	srcName := str(spec, "sourceRef", "name")
	ns := str(spec, "sourceRef", "namespace")
	if ns == "" {
		ns = defaultNS
	}
	src := c.lookup(target, kind, ns, srcName)
	bootstrapSource := kind == "GitRepository" && ns == "flux-system" && srcName == "flux-system"
	if src == nil && !bootstrapSource {
		return nil, at, missing(refAt, kind, ns, srcName)
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
			return c.ociChart(ctx, strings.TrimSuffix(url, "/")+"/"+name, ociVersion(str(spec, "version")), at)
		}
		data, version, cerr := c.sources.Charts.Repositories.Chart(ctx, c.sources.Charts.mirror(url), name, str(spec, "version"))
		if cerr != nil {
			f := &finding.Finding{RuleID: RuleChartUnavailable, Severity: finding.Warning, Pos: at,
				Message: fmt.Sprintf("chart %s %s from %s cannot be had: %s", name, str(spec, "version"), url, cerr)}
			if errors.Is(cerr, helm.ErrOffline) {
				f.Hint = "run `fluxlint charts pull` while online to fill the chart cache"
			}
			return nil, at, f
		}
		_ = version
		c.External = true
		loaded, err = loader.LoadArchive(bytes.NewReader(data))
	case "GitRepository", "Bucket":
		var un *unavailable
		loaded, root, un, err = c.localChart(src, kind, name, spec)
		if un != nil {
			return nil, at, &finding.Finding{RuleID: un.rule, Severity: un.severity, Pos: at, Message: un.message}
		}
	default:
		return nil, at, &finding.Finding{RuleID: RuleChartUnavailable, Severity: finding.Warning, Pos: at,
			Message: fmt.Sprintf("chart source kind %q is not supported", kind)}
	}
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

// localChart loads a chart from a folder of a GitRepository or Bucket and
// returns it with the source root, where its valuesFiles are read; it
// records the chart's files and values files as read.
func (c *cluster) localChart(src *model.Object, kind, name string, spec map[string]any) (any, string, *unavailable, error) {
	dir, un := c.localChartDir(src, kind, name)
	if un != nil {
		return nil, "", un, nil
	}
	loaded, err := loader.LoadDir(dir)
	root := strings.TrimSuffix(dir, filepath.Clean("/"+filepath.FromSlash(name)))
	c.readTree(dir)
	for _, f := range stringList(spec["valuesFiles"]) {
		c.readFile(filepath.Join(root, filepath.Clean("/"+filepath.FromSlash(f))))
	}
	return loaded, root, nil, err
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

// localChartDir resolves a chart path in a GitRepository or Bucket to a
// folder of the local tree.
func (c *cluster) localChartDir(src *model.Object, kind, chartPath string) (string, *unavailable) {
	var artifact *render.Artifact
	var un *unavailable
	if src == nil {
		artifact, un = c.sources.load(c.repo.Root, "")
	} else if kind == "GitRepository" {
		artifact, un = c.sources.gitRepository(c, src)
	} else {
		return "", &unavailable{finding.Warning, RuleSourceUnavailable,
			fmt.Sprintf("Bucket %s/%s cannot be read offline; map it in .fluxlint.yaml (sources)", src.Ref.Namespace, src.Ref.Name)}
	}
	if un != nil {
		return "", un
	}
	dir := artifact.Join(chartPath)
	if !strings.HasPrefix(dir+string(filepath.Separator), artifact.Root+string(filepath.Separator)) {
		return "", &unavailable{finding.Error, RuleChartInvalid, fmt.Sprintf("chart path %q leaves the source", chartPath)}
	}
	// Symbolic links may not lead out of the source either: Helm's loader
	// follows them (issue 9, testdata/bad/symlink-escape-chart).
	if err := confinedTree(artifact.Root, dir); err != nil {
		return "", &unavailable{finding.Error, RuleChartInvalid, fmt.Sprintf("chart path %q: %s", chartPath, err)}
	}
	return dir, nil
}

// crdVersions lists group/version and group/version/kind of every version
// the cluster's CRDs serve, for the chart's .Capabilities.APIVersions.
func (c *cluster) crdVersions() []string {
	var out []string
	for _, o := range c.objects {
		if o.Ref.Kind != "CustomResourceDefinition" {
			continue
		}
		group := str(o.Content, "spec", "group")
		kind := str(o.Content, "spec", "names", "kind")
		versions, _ := value(o.Content, "spec", "versions").([]any)
		for _, v := range versions {
			vm, _ := v.(map[string]any)
			if served, _ := vm["served"].(bool); !served {
				continue
			}
			name, _ := vm["name"].(string)
			out = append(out, group+"/"+name, group+"/"+name+"/"+kind)
		}
	}
	return out
}

// ociVersion turns a HelmRepository chart version into an OCI reference:
// an exact version is a tag, anything else a semver range.
func ociVersion(version string) helm.OCIRef {
	if version == "" || version == "*" {
		return helm.OCIRef{SemVer: "*"}
	}
	if _, err := semver.StrictNewVersion(version); err == nil {
		return helm.OCIRef{Tag: version}
	}
	return helm.OCIRef{SemVer: version}
}

// ociChart pulls and loads a chart from an OCI repository.
func (c *cluster) ociChart(ctx context.Context, url string, ref helm.OCIRef, at finding.Pos) (*chart.Chart, finding.Pos, *finding.Finding) {
	c.External = true
	data, _, err := c.sources.Charts.Repositories.OCIChart(ctx, c.sources.Charts.mirror(url), ref)
	if err != nil {
		f := &finding.Finding{RuleID: RuleChartUnavailable, Severity: finding.Warning, Pos: at,
			Message: fmt.Sprintf("chart %s cannot be had: %s", url, err)}
		if errors.Is(err, helm.ErrOffline) {
			f.Hint = "run `fluxlint charts pull` while online to fill the chart cache"
		}
		return nil, at, f
	}
	loaded, err := loader.LoadArchive(bytes.NewReader(data))
	if err != nil {
		return nil, at, &finding.Finding{RuleID: RuleChartInvalid, Severity: finding.Error, Pos: at, Message: "chart " + url + ": " + err.Error()}
	}
	chrt, ok := loaded.(*chart.Chart)
	if !ok {
		return nil, at, &finding.Finding{RuleID: RuleChartInvalid, Severity: finding.Error, Pos: at, Message: "chart " + url + ": unsupported chart apiVersion"}
	}
	return chrt, at, nil
}

// valuesSchemaFindings reports each value that breaks the chart's
// values.schema.json at the inline value when the HelmRelease writes it,
// else at the chart.
func valuesSchemaFindings(hr *model.Object, chrt *chart.Chart, se *helm.SchemaError, at finding.Pos) []finding.Finding {
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
		if confined(root, p) != nil {
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

// valuesSecrets returns the string values of the Secrets among a
// HelmRelease's valuesFrom sources, and the values within them when they
// are YAML, so that output can mask them wherever the chart puts them.
func valuesSecrets(sources []*model.Object) []string {
	seen := map[string]bool{}
	for _, sec := range sources {
		if sec.Ref.Kind != "Secret" {
			continue
		}
		for _, raw := range model.SecretData(sec) {
			seen[raw] = true
			var parsed any
			if err := yaml.Unmarshal([]byte(raw), &parsed); err == nil {
				collectStrings(parsed, seen)
			}
		}
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		if v != "" {
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

func collectStrings(v any, into map[string]bool) {
	switch t := v.(type) {
	case map[string]any:
		for _, c := range t {
			collectStrings(c, into)
		}
	case []any:
		for _, c := range t {
			collectStrings(c, into)
		}
	case nil:
	default:
		into[fmt.Sprint(t)] = true
	}
}
