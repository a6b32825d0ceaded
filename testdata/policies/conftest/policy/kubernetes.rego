# A conftest-style policy folder, used to compare fluxlint's verdicts with
# conftest's (scripts/compare-conftest.sh) and in fluxlint's tests.
package main

deny contains msg if {
	input.kind == "Deployment"
	not input.spec.template.spec.securityContext.runAsNonRoot
	msg := sprintf("Deployment %s: containers must not run as root", [input.metadata.name])
}

deny contains msg if {
	input.kind == "Deployment"
	not input.spec.selector.matchLabels.app
	msg := sprintf("Deployment %s: must provide app label for pod selectors", [input.metadata.name])
}

violation contains {"msg": msg} if {
	some container in input.spec.template.spec.containers
	not allowed_registry(container.image)
	msg := sprintf("%s %s: image %s is not from an allowed registry", [input.kind, input.metadata.name, container.image])
}

allowed_registry(image) if {
	some prefix in data.registries.allowed
	startswith(image, prefix)
}

warn contains msg if {
	input.kind == "Service"
	input.spec.type == "NodePort"
	msg := sprintf("Service %s: NodePort exposes every node", [input.metadata.name])
}

warn contains msg if {
	input.kind == "ConfigMap"
	some key, _ in input.data
	contains(lower(key), "password")
	msg := sprintf("ConfigMap %s: key %s looks like a password", [input.metadata.name, key])
}
