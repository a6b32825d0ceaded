package fluxlint.privileged_test

import data.fluxlint.privileged

pod(sc) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "securityContext": sc}]}}

test_privileged if {
	r := privileged.warn with input as pod({"privileged": true})
	r == {{"msg": `Pod p: container "app" runs privileged`, "path": ["spec", "containers", 0, "securityContext", "privileged"]}}
}

test_not_privileged if {
	count(privileged.warn) == 0 with input as pod({"privileged": false})
	count(privileged.warn) == 0 with input as pod({})
}
