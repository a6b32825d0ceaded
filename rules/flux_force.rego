# METADATA
# title: A Kustomization or HelmRelease forces its changes
# description: >-
#   force recreates an object whenever a change cannot be applied in place
#   (an immutable field, a selector): the object is deleted and created again,
#   with downtime and lost state, and mistakes that the API server would
#   reject go through.
# custom:
#   id: policy-flux-force
#   severity: warning
#   kinds: [Kustomization, HelmRelease]
#   fix: Remove force (or set it to false) and handle the immutable change on purpose, for example with a new object name.
#   bad: |
#     apiVersion: kustomize.toolkit.fluxcd.io/v1
#     kind: Kustomization
#     spec:
#       force: true
#   good: |
#     apiVersion: kustomize.toolkit.fluxcd.io/v1
#     kind: Kustomization
#     spec:
#       force: false
package fluxlint.flux_force

import data.fluxlint.lib

warn contains result if {
	input.kind == "Kustomization"
	lib.is_flux("kustomize.toolkit.fluxcd.io")
	input.spec.force == true
	result := {"msg": sprintf("%s: force is true: objects are deleted and recreated when a change cannot be applied", [lib.name]), "path": ["spec", "force"]}
}

warn contains result if {
	input.kind == "HelmRelease"
	lib.is_flux("helm.toolkit.fluxcd.io")
	some action in ["install", "upgrade", "rollback"]
	input.spec[action].force == true
	result := {"msg": sprintf("%s: %s.force is true: resources are deleted and recreated when a change cannot be applied", [lib.name, action]), "path": ["spec", action, "force"]}
}
