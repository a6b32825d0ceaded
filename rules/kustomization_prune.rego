# METADATA
# title: A Kustomization does not prune
# description: >-
#   Without prune, objects removed from git stay in the cluster: deleting a
#   manifest does not delete the object, and the cluster drifts from the
#   repository.
# custom:
#   id: policy-kustomization-prune
#   severity: warning
#   kinds: [Kustomization]
#   fix: Set spec.prune to true.
#   bad: |
#     apiVersion: kustomize.toolkit.fluxcd.io/v1
#     kind: Kustomization
#     spec:
#       prune: false
#   good: |
#     apiVersion: kustomize.toolkit.fluxcd.io/v1
#     kind: Kustomization
#     spec:
#       prune: true
package fluxlint.kustomization_prune

import data.fluxlint.lib

warn contains result if {
	input.kind == "Kustomization"
	lib.is_flux("kustomize.toolkit.fluxcd.io")
	not input.spec.prune == true
	result := {
		"msg": sprintf("%s: %s: objects removed from git stay in the cluster", [lib.name, state]),
		"path": ["spec", "prune"],
	}
}

state := "prune is false" if {
	input.spec.prune == false
} else := "prune is not set"
