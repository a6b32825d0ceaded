# METADATA
# title: A Kustomization or HelmRelease has no interval, or one under a minute
# description: >-
#   The interval is how often Flux corrects drift. Without it the object is
#   rejected; under a minute, every reconcile re-applies everything, which
#   loads the API server and the controllers for no benefit (Flux reacts to
#   new source revisions on its own).
# custom:
#   id: policy-flux-interval
#   severity: warning
#   kinds: [Kustomization, HelmRelease]
#   fix: Set spec.interval, to a minute or more (10m or 1h is usual for Kustomizations and HelmReleases).
#   bad: |
#     apiVersion: helm.toolkit.fluxcd.io/v2
#     kind: HelmRelease
#     spec:
#       interval: 10s
#   good: |
#     apiVersion: helm.toolkit.fluxcd.io/v2
#     kind: HelmRelease
#     spec:
#       interval: 10m
package fluxlint.flux_interval

import data.fluxlint.lib

reconciled if {
	input.kind == "Kustomization"
	lib.is_flux("kustomize.toolkit.fluxcd.io")
}

reconciled if {
	input.kind == "HelmRelease"
	lib.is_flux("helm.toolkit.fluxcd.io")
}

warn contains result if {
	reconciled
	not input.spec.interval
	result := {"msg": sprintf("%s has no interval", [lib.name]), "path": ["spec", "interval"]}
}

warn contains result if {
	reconciled
	interval := input.spec.interval
	time.parse_duration_ns(interval) < 60000000000
	result := {"msg": sprintf("%s reconciles every %s: under a minute", [lib.name, interval]), "path": ["spec", "interval"]}
}
