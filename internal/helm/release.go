package helm

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"

	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
)

// A Cluster is what rendering a HelmRelease needs of the cluster it is
// in. Resolving sources is the cluster's job (its discovery stage's), so
// a source that is missing or unavailable is a Problem it words.
type Cluster interface {
	// Lookup returns the rendered object of a kind (of the group its
	// references mean) in a namespace of a target cluster ("" is the
	// cluster itself), or nil.
	Lookup(target, kind, namespace, name string) *model.Object
	// Source returns the source object a chart names (a HelmRepository,
	// GitRepository, Bucket, OCIRepository or HelmChart), or why there is
	// none.
	Source(target, kind, namespace, name string) (*model.Object, *Problem)
	// Artifact returns the files of a GitRepository or Bucket, or of the
	// repository itself when src is nil (flux bootstrap's flux-system
	// source), or why they cannot be read.
	Artifact(src *model.Object, kind string) (*render.Artifact, *Problem)
	// ExternalArtifact returns, for an ExternalArtifact of a target
	// cluster that a chartRef names, the artifact of the local source it
	// is made of and the chart's folder in it, or why they cannot be read.
	ExternalArtifact(target, namespace, name string) (*render.Artifact, string, *Problem)
	// Read records that the render read a file, given by its absolute
	// path.
	Read(abs string)
	// Objects returns the objects rendered so far, in render order: their
	// CRDs give the chart's capabilities and the scope of their kinds.
	Objects() []*model.Object
}

// A Problem says why something a HelmRelease needs cannot be had: a finding
// without its position, which the render gives.
type Problem struct {
	Rule     string
	Severity finding.Severity
	Message  string
	// Names is the object a missing reference names (finding.Names).
	Names *finding.ObjectRef
}

// at returns the problem as a finding at a position.
func (p *Problem) at(pos finding.Pos) *finding.Finding {
	return &finding.Finding{RuleID: p.Rule, Severity: p.Severity, Pos: pos, Message: p.Message, Names: p.Names}
}

// A Rendered is what rendering one HelmRelease gave.
type Rendered struct {
	// Objects are the chart's objects; nil when it did not render.
	Objects []*model.Object
	// Findings say why it did not render (their Object and Chain are the
	// caller's to set).
	Findings []finding.Finding
	// External is set when the render read a chart, or a chart's
	// dependency, from outside the repository.
	External bool
	// Charts are the charts it fetched from chart repositories and
	// registries, as resolved.
	Charts []model.RemoteChart
}

// RenderRelease renders a HelmRelease of a cluster as the helm-controller
// would: it resolves and loads the chart (a local folder, a chart
// repository or an OCI registry, through the cache), merges its values
// (valuesFrom the cluster's ConfigMaps and Secrets, inline values), runs
// helm template with the cluster's capabilities, then post-renderers and
// commonMetadata. Every object keeps the HelmRelease as its producer. It is
// Prepare, Template and Finish one after the other.
func RenderRelease(ctx context.Context, charts *Charts, c Cluster, hr *model.Object) Rendered {
	p := Prepare(ctx, charts, c, hr)
	p.Template(ctx)
	return p.Finish()
}

// A releaser is the state of one HelmRelease's render.
type releaser struct {
	charts   *Charts
	cluster  Cluster
	external bool
	// resolved lists the remote charts fetched.
	resolved []model.RemoteChart
	// lazy is the chart when it is an archive not loaded yet.
	lazy *lazyChart
	// chartKey stands for the chart in the output cache's key when it is
	// an archive: the digests of the archives, the chart's first; when
	// archiveKeyed, addDependencies adds those it fetches.
	chartKey     string
	archiveKeyed bool
}

// readTree records every regular file below dir, as a chart loader reads
// them all.
func (r *releaser) readTree(dir string) {
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			r.cluster.Read(p)
		}
		return nil
	})
}

// objects makes the rendered objects of a release's manifests: in the
// release namespace unless their kind has none, standing at the chart.
func (r *releaser) objects(hr *model.Object, manifests []Manifest, namespace string, secrets []string, at finding.Pos) []*model.Object {
	scope := model.NewScope(r.cluster.Objects())
	chain := append(append([]string(nil), hr.Chain...), hr.Ref.String())
	var objs []*model.Object
	for _, m := range manifests {
		o := &model.Object{Content: m.Content, Origin: at, Chain: chain, Release: hr, Template: m.Template, Secrets: secrets, Target: model.OutputTarget(hr)}
		o.Ref = model.RefOf(m.Content)
		if o.Ref.Namespace == "" && !scope.ClusterScoped(o.Ref.APIVersion, o.Ref.Kind) {
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
	return objs
}

// valuesSources returns the ConfigMaps and Secrets that a HelmRelease's
// valuesFrom names, of those the cluster has (and the kube-root-ca.crt
// ConfigMap Kubernetes makes): all the fake client that
// reads them needs (a client of every one of them, for every release,
// cost time in the square of the releases).
func (r *releaser) valuesSources(hr *model.Object, spec map[string]any) []*model.Object {
	refs, _ := spec["valuesFrom"].([]any)
	var out []*model.Object
	for _, ref := range refs {
		rm, _ := ref.(map[string]any)
		kind, _ := rm["kind"].(string)
		name, _ := rm["name"].(string)
		o := r.cluster.Lookup(hr.Target, kind, hr.Ref.Namespace, name)
		if o == nil && kind == "ConfigMap" && name == model.KubeRootCA {
			// Kubernetes makes it in every namespace.
			o = model.KubeRootCAConfigMap(hr.Ref.Namespace)
		}
		if o != nil && (kind == "ConfigMap" || kind == "Secret") {
			out = append(out, o)
		}
	}
	return out
}

// crdVersions lists group/version and group/version/kind of every version
// the cluster's CRDs serve, for the chart's .Capabilities.APIVersions.
func (r *releaser) crdVersions() []string {
	var out []string
	for _, o := range r.cluster.Objects() {
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

// str returns the string at a path of a decoded object, or "".
func str(content map[string]any, path ...string) string {
	s, _ := value(content, path...).(string)
	return s
}

// value returns the value at a path of a decoded object, or nil.
func value(content map[string]any, path ...string) any {
	return model.Value(content, path...)
}
