package model

// groupClusterAPI is the API group of Cluster API's Cluster.
const groupClusterAPI = "cluster.x-k8s.io"

// clusterAPIKubeconfig returns the Secret that Cluster API writes for a
// Cluster once its control plane is up: <name>-kubeconfig in the Cluster's
// namespace, with the kubeconfig under the key "value"
// (sigs.k8s.io/cluster-api util/secret: Name(cluster, Kubeconfig),
// KubeconfigDataName). A Secret of that name written in the repository
// (a cluster provisioned elsewhere) is used instead.
func clusterAPIKubeconfig(o *Object, by string) []Made {
	if o.Ref.Namespace == "" || o.Ref.Name == "" {
		return nil
	}
	return []Made{{Kind: "Secret", Namespace: o.Ref.Namespace, Name: o.Ref.Name + "-kubeconfig", By: by,
		Keys: map[string]bool{"value": true}, IfAbsent: true}}
}
