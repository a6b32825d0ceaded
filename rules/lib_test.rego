package fluxlint.lib_test

import data.fluxlint.lib

test_containers_of_a_deployment if {
	cs := lib.containers with input as {"kind": "Deployment", "spec": {"template": {"spec": {
		"initContainers": [{"name": "init"}],
		"containers": [{"name": "a"}, {"name": "b"}],
	}}}}
	{c.path | some c in cs} == {
		["spec", "template", "spec", "initContainers", 0],
		["spec", "template", "spec", "containers", 0],
		["spec", "template", "spec", "containers", 1],
	}
}

test_containers_of_a_cronjob if {
	cs := lib.containers with input as {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "a"}]}}}}}}
	{c.path | some c in cs} == {["spec", "jobTemplate", "spec", "template", "spec", "containers", 0]}
}

test_no_containers_in_a_configmap if {
	count(lib.containers) == 0 with input as {"kind": "ConfigMap", "data": {"containers": "x"}}
}

test_secret_values_are_decoded if {
	vs := lib.secret_values with input as {"kind": "Secret", "data": {"a": base64.encode("hello")}, "stringData": {"b": "world"}}
	vs == {{"key": "a", "value": "hello", "path": ["data", "a"]}, {"key": "b", "value": "world", "path": ["stringData", "b"]}}
}

test_private_key if {
	lib.private_key("x\n-----BEGIN OPENSSH PRIVATE KEY-----\nabc")
	lib.private_key("-----BEGIN PRIVATE KEY-----")
	not lib.private_key("-----BEGIN CERTIFICATE-----")
}

test_registry_credentials if {
	lib.registry_credentials({"key": ".dockerconfigjson", "value": `{"auths": {"ghcr.io": {"auth": "dXNlcjpwYXNz"}}}`})
	not lib.registry_credentials({"key": ".dockerconfigjson", "value": `{"auths": {}}`})
	not lib.registry_credentials({"key": "config.json", "value": `{"auths": {"ghcr.io": {"auth": "x"}}}`})
}
