# METADATA
# title: A container allows privilege escalation
# description: >-
#   allowPrivilegeEscalation lets a process gain more privileges than its
#   parent (setuid binaries, file capabilities); the restricted Pod Security
#   Standard forbids it.
# custom:
#   id: policy-privilege-escalation
#   severity: warning
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
#   fix: Set securityContext.allowPrivilegeEscalation to false.
#   bad: |
#     kind: Pod
#     spec:
#       containers:
#         - name: app
#           image: app:1.0.0
#           securityContext:
#             allowPrivilegeEscalation: true
#   good: |
#     kind: Pod
#     spec:
#       containers:
#         - name: app
#           image: app:1.0.0
#           securityContext:
#             allowPrivilegeEscalation: false
package fluxlint.privilege_escalation

import data.fluxlint.lib

warn contains result if {
	some c in lib.containers
	c.container.securityContext.allowPrivilegeEscalation == true
	result := {
		"msg": sprintf("%s: container %q allows privilege escalation", [lib.name, c.container.name]),
		"path": array.concat(c.path, ["securityContext", "allowPrivilegeEscalation"]),
	}
}
