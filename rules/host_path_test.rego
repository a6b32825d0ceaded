package fluxlint.host_path_test

import data.fluxlint.host_path

daemonset(volumes) := {"kind": "DaemonSet", "metadata": {"name": "d"}, "spec": {"template": {"spec": {"volumes": volumes}}}}

test_host_path if {
	r := host_path.warn with input as daemonset([{"name": "tmp", "emptyDir": {}}, {"name": "logs", "hostPath": {"path": "/var/log"}}])
	r == {{"msg": `DaemonSet d: volume "logs" mounts the node's path "/var/log"`, "path": ["spec", "template", "spec", "volumes", 1, "hostPath"]}}
}

test_no_host_path if {
	count(host_path.warn) == 0 with input as daemonset([{"name": "tmp", "emptyDir": {}}])
}
