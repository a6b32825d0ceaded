package fluxlint.container_probes_test

import data.fluxlint.container_probes

deployment(container) := {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"template": {"spec": {"containers": [container]}}}}

test_no_probes if {
	r := container_probes.warn with input as deployment({"name": "app"})
	r == {{"msg": `Deployment web: container "app" has no livenessProbe and no readinessProbe`, "path": ["spec", "template", "spec", "containers", 0]}}
}

test_one_probe if {
	r := container_probes.warn with input as deployment({"name": "app", "livenessProbe": {"exec": {"command": ["true"]}}})
	[x.msg | some x in r] == [`Deployment web: container "app" has no readinessProbe`]
}

test_both_probes if {
	count(container_probes.warn) == 0 with input as deployment({"name": "app", "livenessProbe": {}, "readinessProbe": {}})
}

test_jobs_need_no_probes if {
	count(container_probes.warn) == 0 with input as {"kind": "Job", "metadata": {"name": "j"}, "spec": {"template": {"spec": {"containers": [{"name": "app"}]}}}}
}

test_init_containers_need_no_probes if {
	d := {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"template": {"spec": {"initContainers": [{"name": "init"}], "containers": [{"name": "app", "livenessProbe": {}, "readinessProbe": {}}]}}}}
	count(container_probes.warn) == 0 with input as d
}
