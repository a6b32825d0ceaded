# METADATA
# title: A pod shares the node's network, process or IPC namespace
# description: >-
#   hostNetwork, hostPID and hostIPC let the pod see and reach the node's
#   network interfaces, processes or shared memory, past network policies.
# custom:
#   id: policy-host-namespaces
#   severity: warning
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
#   fix: Remove hostNetwork, hostPID and hostIPC, unless the pod is a node agent that needs them.
#   bad: |
#     kind: Pod
#     spec:
#       hostNetwork: true
#   good: |
#     kind: Pod
#     spec:
#       hostNetwork: false
package fluxlint.host_namespaces

import data.fluxlint.lib

warn contains result if {
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	lib.pod_spec[field] == true
	result := {
		"msg": sprintf("%s: %s is true: the pod shares the node's namespace", [lib.name, field]),
		"path": array.concat(lib.pod_spec_path, [field]),
	}
}
