package fluxlint.flux_interval_test

import data.fluxlint.flux_interval

hr(spec) := {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "metadata": {"name": "web"}, "spec": spec}

test_short if {
	r := flux_interval.warn with input as hr({"interval": "30s"})
	r == {{"msg": "HelmRelease web reconciles every 30s: under a minute", "path": ["spec", "interval"]}}
}

test_missing if {
	r := flux_interval.warn with input as {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization", "metadata": {"name": "apps"}, "spec": {}}
	[x.msg | some x in r] == ["Kustomization apps has no interval"]
}

test_fine if {
	count(flux_interval.warn) == 0 with input as hr({"interval": "1m0s"})
	count(flux_interval.warn) == 0 with input as hr({"interval": "1h"})
}

test_sources_are_not_checked if {
	count(flux_interval.warn) == 0 with input as {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository", "metadata": {"name": "r"}, "spec": {"interval": "10s"}}
}
