# METADATA
# title: A container has no resource requests or memory limit
# description: >-
#   Without requests the scheduler places the pod blindly and it is the first
#   evicted under pressure; without a memory limit one leaking container can
#   exhaust its node.
# custom:
#   id: policy-container-resources
#   severity: warning
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
#   fix: Set resources.requests.cpu, resources.requests.memory and resources.limits.memory.
#   bad: |
#     kind: Deployment
#     spec:
#       template:
#         spec:
#           containers:
#             - name: app
#               image: app:1.0.0
#   good: |
#     kind: Deployment
#     spec:
#       template:
#         spec:
#           containers:
#             - name: app
#               image: app:1.0.0
#               resources:
#                 requests: {cpu: 100m, memory: 128Mi}
#                 limits: {memory: 256Mi}
package fluxlint.container_resources

import data.fluxlint.lib

required := [["requests", "cpu"], ["requests", "memory"], ["limits", "memory"]]

warn contains result if {
	some c in lib.containers
	c.field != "ephemeralContainers"
	missing := [concat(".", p) | some p in required; object.get(c.container, array.concat(["resources"], p), null) == null]
	count(missing) > 0
	result := {
		"msg": sprintf("%s: container %q has no resources.%s", [lib.name, c.container.name, concat(", resources.", missing)]),
		"path": array.concat(c.path, ["resources"]),
	}
}
