# METADATA
# title: A privileged container
# description: >-
#   A privileged container has every capability and the host's devices: a
#   compromise of it is a compromise of the node.
# custom:
#   id: policy-privileged
#   severity: warning
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
#   fix: Remove securityContext.privileged, and add only the capabilities the container needs.
#   bad: |
#     kind: Pod
#     spec:
#       containers:
#         - name: app
#           image: app:1.0.0
#           securityContext:
#             privileged: true
#   good: |
#     kind: Pod
#     spec:
#       containers:
#         - name: app
#           image: app:1.0.0
#           securityContext:
#             privileged: false
package fluxlint.privileged

import data.fluxlint.lib

warn contains result if {
	some c in lib.containers
	c.container.securityContext.privileged == true
	result := {
		"msg": sprintf("%s: container %q runs privileged", [lib.name, c.container.name]),
		"path": array.concat(c.path, ["securityContext", "privileged"]),
	}
}
