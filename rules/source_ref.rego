# METADATA
# title: A GitRepository or OCIRepository has no explicit ref
# description: >-
#   Without spec.ref a GitRepository follows the master branch and an
#   OCIRepository the latest tag: what is deployed depends on a default, not on
#   what the repository says, and a renamed default branch breaks it.
# custom:
#   id: policy-source-ref
#   severity: warning
#   kinds: [GitRepository, OCIRepository]
#   fix: Set spec.ref to a branch, tag, semver range or commit (GitRepository), or a tag, semver or digest (OCIRepository).
#   bad: |
#     apiVersion: source.toolkit.fluxcd.io/v1
#     kind: GitRepository
#     spec:
#       url: https://github.com/example/app
#   good: |
#     apiVersion: source.toolkit.fluxcd.io/v1
#     kind: GitRepository
#     spec:
#       url: https://github.com/example/app
#       ref:
#         branch: main
package fluxlint.source_ref

import data.fluxlint.lib

defaults := {"GitRepository": "the master branch", "OCIRepository": "the latest tag"}

warn contains result if {
	lib.is_flux("source.toolkit.fluxcd.io")
	default_ref := defaults[input.kind]
	count(object.get(input.spec, "ref", {})) == 0
	result := {"msg": sprintf("%s has no spec.ref: it follows %s", [lib.name, default_ref]), "path": ["spec", "ref"]}
}
