# METADATA
# title: A HelmRelease's chart version is not pinned
# description: >-
#   With no version, "*" or a range, helm-controller upgrades the release as
#   soon as the repository publishes a matching chart: an upgrade nobody
#   reviewed, and a rollback that git cannot express.
# custom:
#   id: policy-helm-chart-version
#   severity: warning
#   kinds: [HelmRelease]
#   fix: Set spec.chart.spec.version to an exact version, and let a pull request (Renovate, Dependabot) raise it.
#   bad: |
#     apiVersion: helm.toolkit.fluxcd.io/v2
#     kind: HelmRelease
#     spec:
#       chart:
#         spec:
#           chart: podinfo
#           version: ">=6.0.0"
#           sourceRef: {kind: HelmRepository, name: podinfo}
#   good: |
#     apiVersion: helm.toolkit.fluxcd.io/v2
#     kind: HelmRelease
#     spec:
#       chart:
#         spec:
#           chart: podinfo
#           version: 6.7.1
#           sourceRef: {kind: HelmRepository, name: podinfo}
package fluxlint.helm_chart_version

import data.fluxlint.lib

warn contains result if {
	input.kind == "HelmRelease"
	lib.is_flux("helm.toolkit.fluxcd.io")
	spec := input.spec.chart.spec
	# A chart from a Git repository or a bucket has the version of the commit.
	not spec.sourceRef.kind in {"GitRepository", "Bucket"}
	version := object.get(spec, "version", "")
	not exact(version)
	result := {
		"msg": sprintf("%s: chart %q %s", [lib.name, object.get(spec, "chart", ""), describe(version)]),
		"path": ["spec", "chart", "spec", "version"],
	}
}

exact(version) if regex.match(`^v?[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`, version)

describe("") := "has no version: the newest is installed on every reconcile"

describe(v) := sprintf("has the version range %q: any matching release is installed on the next reconcile", [v]) if v != ""
