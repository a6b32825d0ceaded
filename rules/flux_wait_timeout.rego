# METADATA
# title: A Kustomization waits without a timeout
# description: >-
#   With wait (or healthChecks) and no timeout, Flux waits as long as the
#   interval for the objects to become ready: with an hourly interval a failed
#   rollout is reported an hour late, and the Kustomizations that depend on it
#   wait as long.
# custom:
#   id: policy-flux-wait-timeout
#   severity: warning
#   kinds: [Kustomization]
#   fix: Set spec.timeout to how long a healthy rollout can take, for example 5m.
#   bad: |
#     apiVersion: kustomize.toolkit.fluxcd.io/v1
#     kind: Kustomization
#     spec:
#       interval: 1h
#       wait: true
#   good: |
#     apiVersion: kustomize.toolkit.fluxcd.io/v1
#     kind: Kustomization
#     spec:
#       interval: 1h
#       wait: true
#       timeout: 5m
package fluxlint.flux_wait_timeout

import data.fluxlint.lib

warn contains result if {
	input.kind == "Kustomization"
	lib.is_flux("kustomize.toolkit.fluxcd.io")
	some field in waits
	not input.spec.timeout
	result := {
		"msg": sprintf("%s: %s without timeout: a failed rollout is reported only after the interval (%s)", [lib.name, field, object.get(input.spec, "interval", "unset")]),
		"path": ["spec", field],
	}
}

waits contains "wait" if input.spec.wait == true

waits contains "healthChecks" if {
	not input.spec.wait == true
	count(object.get(input.spec, "healthChecks", [])) > 0
}
