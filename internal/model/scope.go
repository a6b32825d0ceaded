package model

// clusterScoped lists the kinds that have no namespace: Kubernetes' own
// and those of widely deployed CRDs, for clusters whose repository does
// not hold the CRD.
var clusterScoped = map[string]bool{
	// Kubernetes.
	"Namespace": true, "Node": true, "PersistentVolume": true, "ClusterRole": true, "ClusterRoleBinding": true,
	"CustomResourceDefinition": true, "StorageClass": true, "PriorityClass": true, "IngressClass": true,
	"ValidatingWebhookConfiguration": true, "MutatingWebhookConfiguration": true, "APIService": true,
	"RuntimeClass": true, "CSIDriver": true, "CSINode": true, "VolumeAttachment": true,
	"ValidatingAdmissionPolicy": true, "ValidatingAdmissionPolicyBinding": true,
	"MutatingAdmissionPolicy": true, "MutatingAdmissionPolicyBinding": true,
	"FlowSchema": true, "PriorityLevelConfiguration": true, "CertificateSigningRequest": true,
	// Custom resources.
	"GatewayClass": true, "ClusterIssuer": true, "ClusterSecretStore": true, "ClusterExternalSecret": true,
	"ClusterPolicy": true, "VolumeSnapshotClass": true,
}

// A Scope tells whether objects of a kind live in a namespace: the table
// of well-known kinds first, then the spec.scope of the cluster's
// CustomResourceDefinitions (the first that defines the group and kind).
// Add it the objects as they are rendered; it is not safe for concurrent
// use.
type Scope struct {
	crds map[string]bool // "group/kind" -> cluster-scoped
}

// NewScope returns the scope of a cluster's objects.
func NewScope(objs []*Object) *Scope {
	s := &Scope{crds: map[string]bool{}}
	for _, o := range objs {
		s.Add(o)
	}
	return s
}

// Add records the scope of a CustomResourceDefinition; other objects are
// ignored.
func (s *Scope) Add(o *Object) {
	if o.Ref.Kind != "CustomResourceDefinition" {
		return
	}
	k := str(o.Content, "spec", "group") + "/" + str(o.Content, "spec", "names", "kind")
	if _, seen := s.crds[k]; !seen {
		s.crds[k] = str(o.Content, "spec", "scope") == "Cluster"
	}
}

// ClusterScoped reports whether objects of an apiVersion and kind have no
// namespace.
func (s *Scope) ClusterScoped(apiVersion, kind string) bool {
	if clusterScoped[kind] {
		return true
	}
	return s != nil && s.crds[Group(apiVersion)+"/"+kind]
}
