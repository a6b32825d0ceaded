package fluxlint.privilege_escalation_test

import data.fluxlint.privilege_escalation

pod(sc) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "securityContext": sc}]}}

test_allowed if {
	r := privilege_escalation.warn with input as pod({"allowPrivilegeEscalation": true})
	r == {{"msg": `Pod p: container "app" allows privilege escalation`, "path": ["spec", "containers", 0, "securityContext", "allowPrivilegeEscalation"]}}
}

test_forbidden if {
	count(privilege_escalation.warn) == 0 with input as pod({"allowPrivilegeEscalation": false})
}
