package fluxlint.run_as_non_root_test

import data.fluxlint.run_as_non_root

pod(podsc, containers) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"securityContext": podsc, "containers": containers}}

test_nothing_set if {
	r := run_as_non_root.warn with input as pod({}, [{"name": "app"}])
	r == {{"msg": `Pod p: container "app" may run as root (no runAsNonRoot: true or runAsUser other than 0)`, "path": ["spec", "securityContext"]}}
}

test_pod_level if {
	count(run_as_non_root.warn) == 0 with input as pod({"runAsNonRoot": true}, [{"name": "a"}, {"name": "b"}])
}

test_container_overrides_pod if {
	r := run_as_non_root.warn with input as pod({"runAsNonRoot": true}, [{"name": "a", "securityContext": {"runAsNonRoot": false}}, {"name": "b"}])
	[x.msg | some x in r] == [`Pod p: container "a" may run as root (no runAsNonRoot: true or runAsUser other than 0)`]
}

test_run_as_user if {
	count(run_as_non_root.warn) == 0 with input as pod({"runAsUser": 1000}, [{"name": "a"}])
	count(run_as_non_root.warn) == 1 with input as pod({"runAsUser": 0}, [{"name": "a"}])
}

test_several_containers if {
	r := run_as_non_root.warn with input as pod({}, [{"name": "a"}, {"name": "b", "securityContext": {"runAsNonRoot": true}}, {"name": "c"}])
	[x.msg | some x in r] == [`Pod p: containers "a", "c" may run as root (no runAsNonRoot: true or runAsUser other than 0)`]
}
