package fluxlint.flux_force_test

import data.fluxlint.flux_force

test_kustomization_force if {
	r := flux_force.warn with input as {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization", "metadata": {"name": "apps"}, "spec": {"force": true}}
	r == {{"msg": "Kustomization apps: force is true: objects are deleted and recreated when a change cannot be applied", "path": ["spec", "force"]}}
}

test_helmrelease_upgrade_force if {
	r := flux_force.warn with input as {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "metadata": {"name": "web"}, "spec": {"upgrade": {"force": true}}}
	[x.path | some x in r] == [["spec", "upgrade", "force"]]
}

test_no_force if {
	count(flux_force.warn) == 0 with input as {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization", "metadata": {"name": "apps"}, "spec": {"force": false}}
	count(flux_force.warn) == 0 with input as {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "metadata": {"name": "web"}, "spec": {}}
}
