# METADATA
# title: A pod mounts a hostPath volume
# description: >-
#   A hostPath volume exposes the node's file system to the pod: it can read
#   other pods' data and credentials, or write to the node.
# custom:
#   id: policy-host-path
#   severity: warning
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
#   fix: Use a persistentVolumeClaim, configMap, secret or emptyDir volume instead.
#   bad: |
#     kind: Pod
#     spec:
#       volumes:
#         - name: logs
#           hostPath: {path: /var/log}
#   good: |
#     kind: Pod
#     spec:
#       volumes:
#         - name: logs
#           emptyDir: {}
package fluxlint.host_path

import data.fluxlint.lib

warn contains result if {
	some i, volume in lib.pod_spec.volumes
	volume.hostPath
	result := {
		"msg": sprintf("%s: volume %q mounts the node's path %q", [lib.name, volume.name, object.get(volume.hostPath, "path", "")]),
		"path": array.concat(lib.pod_spec_path, ["volumes", i, "hostPath"]),
	}
}
