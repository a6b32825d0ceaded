# METADATA
# title: Containers may run as root
# description: >-
#   A process running as root in a container is root on the node if it
#   escapes; the restricted Pod Security Standard requires runAsNonRoot.
# custom:
#   id: policy-run-as-non-root
#   severity: warning
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
#   fix: Set securityContext.runAsNonRoot to true in the pod (or in every container), or a non-zero runAsUser.
#   bad: |
#     kind: Pod
#     spec:
#       containers:
#         - name: app
#           image: app:1.0.0
#   good: |
#     kind: Pod
#     spec:
#       securityContext:
#         runAsNonRoot: true
#       containers:
#         - name: app
#           image: app:1.0.0
package fluxlint.run_as_non_root

import data.fluxlint.lib

warn contains result if {
	root := [c.container.name | some c in lib.containers; c.field != "ephemeralContainers"; not non_root(c.container)]
	count(root) > 0
	result := {
		"msg": sprintf("%s: %s may run as root (no runAsNonRoot: true or runAsUser other than 0)", [lib.name, names(root)]),
		"path": array.concat(lib.pod_spec_path, ["securityContext"]),
	}
}

names(list) := sprintf("container %q", list) if {
	count(list) == 1
} else := sprintf("containers %s", [concat(", ", [sprintf("%q", [n]) | some n in list])])

non_root(container) if setting(container, "runAsNonRoot") == true

non_root(container) if {
	setting(container, "runAsNonRoot") != false
	user := setting(container, "runAsUser")
	is_number(user)
	user > 0
}

# setting is a securityContext field of the container, else of the pod, else
# null.
setting(container, field) := v if {
	v := container.securityContext[field]
} else := v if {
	v := lib.pod_spec.securityContext[field]
} else := null
