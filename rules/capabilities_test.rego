package fluxlint.capabilities_test

import data.fluxlint.capabilities

pod(add) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "securityContext": {"capabilities": {"add": add}}}]}}

test_added if {
	r := capabilities.warn with input as pod(["NET_BIND_SERVICE", "SYS_ADMIN"])
	r == {{"msg": `Pod p: container "app" adds the capability SYS_ADMIN`, "path": ["spec", "containers", 0, "securityContext", "capabilities", "add", 1]}}
}

test_bind_only if {
	count(capabilities.warn) == 0 with input as pod(["NET_BIND_SERVICE"])
	count(capabilities.warn) == 0 with input as pod([])
}
