# METADATA
# title: A container adds Linux capabilities
# description: >-
#   Added capabilities (NET_ADMIN, SYS_ADMIN, ...) give a container powers over
#   the node that a compromise can use; the restricted Pod Security Standard
#   allows only NET_BIND_SERVICE.
# custom:
#   id: policy-capabilities
#   severity: warning
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
#   fix: Remove the capability from securityContext.capabilities.add, and drop ALL.
#   bad: |
#     kind: Pod
#     spec:
#       containers:
#         - name: app
#           image: app:1.0.0
#           securityContext:
#             capabilities:
#               add: [NET_ADMIN]
#   good: |
#     kind: Pod
#     spec:
#       containers:
#         - name: app
#           image: app:1.0.0
#           securityContext:
#             capabilities:
#               drop: [ALL]
#               add: [NET_BIND_SERVICE]
package fluxlint.capabilities

import data.fluxlint.lib

warn contains result if {
	some c in lib.containers
	some i, capability in c.container.securityContext.capabilities.add
	not upper(trim_prefix(capability, "CAP_")) == "NET_BIND_SERVICE"
	result := {
		"msg": sprintf("%s: container %q adds the capability %s", [lib.name, c.container.name, capability]),
		"path": array.concat(c.path, ["securityContext", "capabilities", "add", i]),
	}
}
