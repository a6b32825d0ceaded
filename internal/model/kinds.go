package model

import "strings"

// Flux API groups.
const (
	GroupKustomize = "kustomize.toolkit.fluxcd.io"
	GroupSource    = "source.toolkit.fluxcd.io"
	GroupSourceExt = "source.extensions.fluxcd.io"
	GroupHelm      = "helm.toolkit.fluxcd.io"
	// GroupNotification and GroupImage are the notification and image
	// automation controllers' groups.
	GroupNotification = "notification.toolkit.fluxcd.io"
	GroupImage        = "image.toolkit.fluxcd.io"
	// GroupOperator is Flux Operator's group (FluxInstance, ResourceSet).
	GroupOperator = "fluxcd.controlplane.io"
)

// Group returns the API group of an apiVersion ("" for the core group).
func Group(apiVersion string) string {
	group, _, found := strings.Cut(apiVersion, "/")
	if !found {
		return ""
	}
	return group
}

// IsKind reports whether an object is of the given Flux group and kind.
func IsKind(o *Object, group, kind string) bool {
	return o.Ref.Kind == kind && Group(o.Ref.APIVersion) == group
}

// SourceRef returns the kind, namespace and name of the source a Flux
// Kustomization's sourceRef names, with Flux's defaults: a GitRepository
// of the Kustomization's namespace.
func SourceRef(ks *Object) (kind, namespace, name string) {
	return SourceRefIn(ks.Content, ks.Ref.Namespace)
}

// SourceRefIn is SourceRef of a Flux object's content in a namespace,
// for a document not made an Object.
func SourceRefIn(content map[string]any, ns string) (kind, namespace, name string) {
	kind, namespace, name = str(content, "spec", "sourceRef", "kind"), str(content, "spec", "sourceRef", "namespace"), str(content, "spec", "sourceRef", "name")
	if kind == "" {
		kind = "GitRepository"
	}
	if namespace == "" {
		namespace = ns
	}
	return kind, namespace, name
}

// ObjectKey identifies an object in a cluster: its API group, kind,
// namespace and name. The version is left out, as the API server serves one
// object under every version of its group; the group is kept, so that a
// core ServiceAccount and a talos.dev ServiceAccount of one name are two
// objects.
func ObjectKey(group, kind, namespace, name string) string {
	return group + "/" + kind + "/" + namespace + "/" + name
}

// KindKey identifies objects by kind, namespace and name alone, for
// references that name a kind without its group.
func KindKey(kind, namespace, name string) string {
	return kind + "/" + namespace + "/" + name
}

// KindGroup returns the API group that a reference naming only a kind
// means, for the kinds whose references Kubernetes and Flux define with a
// fixed group (a Pod's serviceAccountName is a core ServiceAccount, a
// sourceRef of kind GitRepository is Flux's). known is false for other
// kinds, where any group matches.
func KindGroup(kind string) (group string, known bool) {
	group, known = kindGroups[kind]
	return group, known
}

// kindGroups are the groups of the kinds that references name by kind only.
var kindGroups = map[string]string{
	"ConfigMap": "", "Secret": "", "ServiceAccount": "", "Service": "", "Namespace": "",
	"PersistentVolumeClaim": "", "Pod": "", "Endpoints": "",
	"Deployment": "apps", "StatefulSet": "apps", "DaemonSet": "apps", "ReplicaSet": "apps",
	"Job": "batch", "CronJob": "batch",
	"Role": "rbac.authorization.k8s.io", "ClusterRole": "rbac.authorization.k8s.io",
	"RoleBinding": "rbac.authorization.k8s.io", "ClusterRoleBinding": "rbac.authorization.k8s.io",
	"Ingress": "networking.k8s.io", "IngressClass": "networking.k8s.io", "NetworkPolicy": "networking.k8s.io",
	"Kustomization": GroupKustomize, "HelmRelease": GroupHelm,
	"GitRepository": GroupSource, "OCIRepository": GroupSource, "Bucket": GroupSource,
	"HelmRepository": GroupSource, "HelmChart": GroupSource, "ExternalArtifact": GroupSource,
	"ArtifactGenerator": GroupSourceExt,
	"Provider":          GroupNotification, "Alert": GroupNotification, "Receiver": GroupNotification,
	"ImageRepository": GroupImage, "ImagePolicy": GroupImage, "ImageUpdateAutomation": GroupImage,
	"FluxInstance": GroupOperator, "ResourceSet": GroupOperator, "ResourceSetInputProvider": GroupOperator,
	"FluxReport": GroupOperator,
	"Gateway":    "gateway.networking.k8s.io", "GatewayClass": "gateway.networking.k8s.io",
	"HTTPRoute": "gateway.networking.k8s.io", "GRPCRoute": "gateway.networking.k8s.io",
	"ReferenceGrant":           "gateway.networking.k8s.io",
	"CustomResourceDefinition": "apiextensions.k8s.io",
	"HorizontalPodAutoscaler":  "autoscaling",
}

// RefGroup returns the group a reference means: the group of its
// apiVersion when it gives one, else the kind's known group. known is false
// when neither says.
func RefGroup(apiVersion, kind string) (group string, known bool) {
	if apiVersion != "" {
		return Group(apiVersion), true
	}
	return KindGroup(kind)
}

// IsFluxGroup reports whether a group is one of Flux's or Flux Operator's.
func IsFluxGroup(group string) bool {
	return strings.HasSuffix(group, ".fluxcd.io") || group == GroupOperator
}

// builtinVersions are the apiVersions of Kubernetes' own API groups whose
// kinds kindGroups lists. Such a group serves a fixed set of kinds, which
// no CRD extends.
var builtinVersions = map[string]string{
	"": "v1", "apps": "apps/v1", "batch": "batch/v1", "rbac.authorization.k8s.io": "rbac.authorization.k8s.io/v1",
	"networking.k8s.io": "networking.k8s.io/v1", "autoscaling": "autoscaling/v2",
}

// BuiltinVersion returns the apiVersion that serves a kind of Kubernetes'
// own groups when apiVersion names another of those groups, which does not
// serve it (apps/v1 has no Pod, which is v1; v1 has no Deployment): "" when
// apiVersion's group is not Kubernetes', or the kind is not one of its.
func BuiltinVersion(apiVersion, kind string) string {
	have, ok := builtinVersions[Group(apiVersion)]
	if !ok || apiVersion == "" {
		return ""
	}
	group, known := kindGroups[kind]
	right, builtin := builtinVersions[group]
	if !known || !builtin || group == Group(apiVersion) || right == have {
		return ""
	}
	return right
}
