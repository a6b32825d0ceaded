package main

test_root_deployment_denied if {
	deny["Deployment web: containers must not run as root"] with input as {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}}}}
}

test_non_root_deployment_allowed if {
	count(deny) == 0 with input as {"kind": "Deployment", "metadata": {"name": "web"}, "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {"spec": {"securityContext": {"runAsNonRoot": true}}}}}
}

test_registry if {
	count(violation) == 1 with input as {"kind": "Deployment", "metadata": {"name": "w"}, "spec": {"template": {"spec": {"containers": [{"image": "docker.io/nginx:1"}]}}}}
		with data.registries.allowed as ["ghcr.io/"]
}

test_nodeport_warned if {
	count(warn) == 1 with input as {"kind": "Service", "metadata": {"name": "s"}, "spec": {"type": "NodePort"}}
}
