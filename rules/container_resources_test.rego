package fluxlint.container_resources_test

import data.fluxlint.container_resources

deployment(container) := {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"template": {"spec": {"containers": [container]}}}}

test_no_resources if {
	r := container_resources.warn with input as deployment({"name": "app"})
	r == {{
		"msg": `Deployment web: container "app" has no resources.requests.cpu, resources.requests.memory, resources.limits.memory`,
		"path": ["spec", "template", "spec", "containers", 0, "resources"],
	}}
}

test_missing_memory_limit if {
	r := container_resources.warn with input as deployment({"name": "app", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}}})
	[x.msg | some x in r] == [`Deployment web: container "app" has no resources.limits.memory`]
}

test_complete if {
	count(container_resources.warn) == 0 with input as deployment({"name": "app", "resources": {"requests": {"cpu": "1", "memory": "1Gi"}, "limits": {"memory": "1Gi"}}})
}

test_not_a_workload if {
	count(container_resources.warn) == 0 with input as {"kind": "ConfigMap", "metadata": {"name": "x"}}
}
