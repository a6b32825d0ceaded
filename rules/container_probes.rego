# METADATA
# title: A long-running container has no liveness or readiness probe
# description: >-
#   Without a readiness probe traffic reaches the pod before it can serve, and
#   a rollout of a broken version goes through; without a liveness probe a
#   hung process is never restarted.
# custom:
#   id: policy-container-probes
#   severity: warning
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController]
#   fix: Add livenessProbe and readinessProbe to the container.
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
#               livenessProbe: {httpGet: {path: /healthz, port: 8080}}
#               readinessProbe: {httpGet: {path: /ready, port: 8080}}
package fluxlint.container_probes

import data.fluxlint.lib

warn contains result if {
	lib.long_running
	some c in lib.app_containers
	missing := [p | some p in ["livenessProbe", "readinessProbe"]; not c.container[p]]
	count(missing) > 0
	result := {
		"msg": sprintf("%s: container %q has no %s", [lib.name, c.container.name, concat(" and no ", missing)]),
		"path": c.path,
	}
}
