package fluxlint.host_namespaces_test

import data.fluxlint.host_namespaces

test_host_network_and_pid if {
	r := host_namespaces.warn with input as {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"hostNetwork": true, "hostPID": true, "hostIPC": false}}
	r == {
		{"msg": "Pod p: hostNetwork is true: the pod shares the node's namespace", "path": ["spec", "hostNetwork"]},
		{"msg": "Pod p: hostPID is true: the pod shares the node's namespace", "path": ["spec", "hostPID"]},
	}
}

test_none if {
	count(host_namespaces.warn) == 0 with input as {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"hostNetwork": false}}
}
