package model

import (
	"path"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// A Cluster is one cluster of the repository, rendered.
type Cluster struct {
	// Name is the cluster's name, Path its entry folder in the repository,
	// Via how discovery found it ("" when the user named it).
	Name, Path, Via string
	// Objects holds every rendered object, in render order.
	Objects []*Object
	// Kustomizations counts the Flux Kustomizations rendered.
	Kustomizations int
	// HelmReleases lists the HelmReleases found, and Releases counts those
	// whose charts rendered.
	HelmReleases []*Object
	Releases     int
	// Findings holds the problems found while rendering.
	Findings []finding.Finding
	// Gaps name the Flux objects whose output the render could not
	// produce, or not all of, in the order of their findings: the checks
	// treat what such an object may make as unknown rather than missing.
	Gaps []Gap
	// FilesRead lists the repository files the renders read, sorted:
	// those of kustomize builds and of local charts with their values
	// files.
	FilesRead []string
	// External is set when a render read something from outside the
	// repository: a chart from a chart repository or an OCI registry.
	External bool
	// Charts are the charts its renders fetched from chart repositories
	// and registries, as they were resolved: the result cache keeps a
	// cluster's findings while they resolve the same.
	Charts []RemoteChart
	// FluxVersion is the Flux release the cluster runs, as its repository
	// says (a FluxInstance's spec.distribution.version, the "Flux Version"
	// header of a gotk-components.yaml, or the configuration), in the form
	// schema.ResolveFluxVersion takes; "" when nothing says.
	FluxVersion string
	// FluxVersionAt is where the repository names FluxVersion, when it
	// does.
	FluxVersionAt finding.Pos
	// KubernetesVersion is the cluster's Kubernetes version from the
	// configuration; "" uses the run's.
	KubernetesVersion string
	// SelfSources are the GitRepositories that resolve to this repository:
	// their secretRef holds the repository's own credentials, made when
	// the cluster was bootstrapped.
	SelfSources []*Object
	// BootstrapNamespaces are the namespaces that a flux bootstrap
	// --namespace makes, outside the repository, with the sync source of
	// a cluster whose folder does not hold its sync.
	BootstrapNamespaces []string
	// Outside finds objects the repository defines outside the cluster's
	// renders (applied by hand or at bootstrap); nil for a restored
	// cluster.
	Outside *Outside
	// Operator is set when Flux Operator installs Flux in the cluster (a
	// FluxInstance): the operator patches the Alert and Receiver CRDs so
	// that their kind enums also accept its own kinds.
	Operator bool
	// Released, when set, says that the cluster's Objects, HelmReleases,
	// SelfSources and Outside were dropped once it was checked, to free
	// their memory (check.Config.Release); Released counts what they were.
	Released *Counts
	// Restored, when set, says that the cluster was not rendered: its
	// findings came from the result cache, and Objects and HelmReleases
	// are empty; Restored counts what the cached render had.
	Restored *Counts
}

// The ways discovery finds a cluster's entry (Cluster.Via), in the order it
// prefers them when two name one folder.
const (
	ViaBootstrap    = "flux-system/gotk-sync.yaml"
	ViaFluxInstance = "FluxInstance spec.sync"
	ViaChartValues  = "flux-instance chart values (instance.sync)"
	ViaSyncPath     = "spec.path of a Kustomization flux-system"
	ViaClusters     = "folder under clusters/"
	ViaOrphan       = "Flux Kustomization that no cluster renders"
)

// ViaTenant is how an entry is found in a repository where discovery finds
// no Flux cluster: a tenant repository, whose folders a fleet repository's
// Kustomizations build (Flux Operator's d2-apps and d2-infra).
const ViaTenant = "kustomize overlay of a repository with no Flux cluster"

// A Gap is a Flux object whose output is not (fully) rendered, and why.
type Gap struct {
	// Object is the Kustomization, ResourceSet or HelmRelease.
	Object finding.ObjectRef
	// Kind says what is missing.
	Kind GapKind
	// Rule is the rule of the render finding that reports it.
	Rule string
	// Kinds and Namespace say, for a PartlyBuilt gap, what the part left
	// out may make: objects of these kinds (any when empty) in this
	// namespace (when "", in any namespace the cluster's renders do not
	// make).
	Kinds     []string
	Namespace string
}

// A GapKind says what of a Flux object's output is missing.
type GapKind int

// The kinds of gaps.
const (
	// NotBuilt is a Kustomization whose source is missing or unavailable
	// offline, or whose build failed: its objects are unknown.
	NotBuilt GapKind = iota + 1
	// PartlyExpanded is a ResourceSet that Flux Operator cannot expand,
	// or not for every input.
	PartlyExpanded
	// ValuesUnresolved is a HelmRelease whose valuesFrom could not be
	// resolved: the render reported its references already.
	ValuesUnresolved
	// PartlyBuilt is a Kustomization built without its remote resources,
	// which an offline check does not fetch.
	PartlyBuilt
)

// OperatorMayInstall says whether Flux Operator may install the cluster's
// Flux, so that the Alert and Receiver CRDs are the ones it patches: a
// FluxInstance installs it (Operator), or the repository shows no install
// at all (no flux bootstrap entry, no gotk-components.yaml read, no file
// naming the Flux release): Flux is then installed from outside, by the
// CLI or by the operator, and the kinds the operator adds to the enums are
// not errors.
func (c *Cluster) OperatorMayInstall() bool {
	if c.Operator {
		return true
	}
	if c.Via == ViaBootstrap || !c.FluxVersionAt.IsZero() {
		return false
	}
	for _, f := range c.FilesRead {
		if path.Base(f) == "gotk-components.yaml" {
			return false
		}
	}
	return true
}

// HasGap reports whether the cluster has a gap of a kind for an object.
func (c *Cluster) HasGap(kind GapKind, ref finding.ObjectRef) bool {
	for _, g := range c.Gaps {
		if g.Kind == kind && g.Object == ref {
			return true
		}
	}
	return false
}

// Counts are the numbers of objects and HelmReleases of a render.
type Counts struct {
	Objects, HelmReleases int
}

// NumObjects returns the number of objects the cluster rendered.
func (c *Cluster) NumObjects() int {
	if c.Restored != nil {
		return c.Restored.Objects
	}
	if c.Released != nil {
		return c.Released.Objects
	}
	return len(c.Objects)
}

// NumHelmReleases returns the number of HelmReleases the cluster has.
func (c *Cluster) NumHelmReleases() int {
	if c.Restored != nil {
		return c.Restored.HelmReleases
	}
	if c.Released != nil {
		return c.Released.HelmReleases
	}
	return len(c.HelmReleases)
}

// OutputTarget returns the cluster that a Flux Kustomization or HelmRelease
// applies its output to: the one its spec.kubeConfig names, as
// "namespace/name" of the Secret or ConfigMap that holds it, else the
// cluster the object itself is applied to.
func OutputTarget(o *Object) string {
	for _, ref := range []string{"secretRef", "configMapRef"} {
		if name := str(o.Content, "spec", "kubeConfig", ref, "name"); name != "" {
			return o.Ref.Namespace + "/" + name
		}
	}
	return o.Target
}

// A RemoteChart is a chart asked of a chart repository (HTTP) or an OCI
// registry, and what it resolved to.
type RemoteChart struct {
	// Repo is the repository URL as fetched (https:// or oci://, mirrors
	// applied), Name the chart's name in an HTTP repository ("" for OCI).
	Repo, Name string
	// Version is the version or semver range asked of an HTTP repository;
	// Tag, SemVer and Ref (a digest) the OCI reference asked for.
	Version, Tag, SemVer, Ref string
	// Resolved is the version it resolved to and Digest the hex SHA-256 of
	// the chart archive; both are empty in a request.
	Resolved, Digest string
	// Failed is the error of a request that could not be had, "" when it
	// resolved.
	Failed string
}
