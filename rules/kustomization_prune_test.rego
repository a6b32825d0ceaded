package fluxlint.kustomization_prune_test

import data.fluxlint.kustomization_prune

ks(spec) := {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization", "metadata": {"name": "apps"}, "spec": spec}

test_prune_false if {
	r := kustomization_prune.warn with input as ks({"prune": false})
	r == {{"msg": "Kustomization apps: prune is false: objects removed from git stay in the cluster", "path": ["spec", "prune"]}}
}

test_prune_missing if {
	r := kustomization_prune.warn with input as ks({})
	[x.msg | some x in r] == ["Kustomization apps: prune is not set: objects removed from git stay in the cluster"]
}

test_prune_true if {
	count(kustomization_prune.warn) == 0 with input as ks({"prune": true})
}

test_kustomize_config_kind if {
	count(kustomization_prune.warn) == 0 with input as {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"}
}
