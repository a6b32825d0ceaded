package model

// KubeRootCA names the ConfigMap that Kubernetes' root CA publisher
// (kube-controller-manager's root-ca-cert-publisher) makes in every
// namespace, with the cluster's CA bundle under KubeRootCAKey.
const (
	KubeRootCA    = "kube-root-ca.crt"
	KubeRootCAKey = "ca.crt"
)

// kubeRootCAValue stands for the cluster's CA bundle, which only the
// cluster knows. Like a PEM bundle, it holds none of the characters that
// a valuesFrom targetPath splits values at (Helm's strvals: , = [ . {).
const kubeRootCAValue = "(the CA bundle of the cluster)"

// KubeRootCAConfigMap returns the kube-root-ca.crt ConfigMap that
// Kubernetes makes in a namespace, for what reads it before it is applied
// (a HelmRelease's valuesFrom). Its one key holds a stand-in for the
// cluster's CA bundle.
func KubeRootCAConfigMap(namespace string) *Object {
	content := map[string]any{
		"apiVersion": "v1", "kind": "ConfigMap",
		"metadata": map[string]any{"name": KubeRootCA, "namespace": namespace},
		"data":     map[string]any{KubeRootCAKey: kubeRootCAValue},
	}
	return &Object{Ref: RefOf(content), Content: content}
}
