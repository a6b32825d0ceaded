package fluxlint.flux_wait_timeout_test

import data.fluxlint.flux_wait_timeout

ks(spec) := {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization", "metadata": {"name": "apps"}, "spec": spec}

test_wait_without_timeout if {
	r := flux_wait_timeout.warn with input as ks({"interval": "1h", "wait": true})
	r == {{"msg": "Kustomization apps: wait without timeout: a failed rollout is reported only after the interval (1h)", "path": ["spec", "wait"]}}
}

test_health_checks_without_timeout if {
	r := flux_wait_timeout.warn with input as ks({"interval": "10m", "healthChecks": [{"kind": "Deployment", "name": "web"}]})
	[x.path | some x in r] == [["spec", "healthChecks"]]
}

test_with_timeout if {
	count(flux_wait_timeout.warn) == 0 with input as ks({"interval": "1h", "wait": true, "timeout": "5m"})
}

test_no_wait if {
	count(flux_wait_timeout.warn) == 0 with input as ks({"interval": "1h", "wait": false})
}
