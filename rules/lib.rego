# Helpers shared by the built-in rules: the pod template of a workload and
# its containers, each with the path of its fields in the object.
package fluxlint.lib

workload_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}

# pod_spec_path is the path of the pod spec in a workload.
pod_spec_path := ["spec"] if input.kind == "Pod"

pod_spec_path := ["spec", "template", "spec"] if input.kind in workload_kinds

pod_spec_path := ["spec", "jobTemplate", "spec", "template", "spec"] if input.kind == "CronJob"

pod_spec := object.get(input, pod_spec_path, {})

# long_running reports a workload whose containers serve: not a Job.
long_running if input.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}

# containers holds every container, init and ephemeral ones included, as
# {"container": c, "path": [...], "field": "containers"}.
containers contains c if {
	some field in ["initContainers", "containers", "ephemeralContainers"]
	some i, container in pod_spec[field]
	c := {"container": container, "path": array.concat(pod_spec_path, [field, i]), "field": field}
}

# app_containers holds the containers that run for the pod's lifetime.
app_containers contains c if {
	some c in containers
	c.field == "containers"
}

# name is the object's name for messages.
name := sprintf("%s %s", [input.kind, object.get(input, ["metadata", "name"], "")])

# is_flux reports an object of a Flux API group.
is_flux(group) if startswith(input.apiVersion, concat("", [group, "/"]))

# secret_values holds each value of a Secret, decoded, with its key and the
# path of its field.
secret_values contains v if {
	input.kind == "Secret"
	some k, raw in object.get(input, "data", {})
	is_string(raw)
	v := {"key": k, "value": decoded(raw), "path": ["data", k]}
}

secret_values contains v if {
	input.kind == "Secret"
	some k, raw in object.get(input, "stringData", {})
	is_string(raw)
	v := {"key": k, "value": raw, "path": ["stringData", k]}
}

decoded(raw) := s if {
	s := base64.decode(raw)
} else := raw

# sops_encrypted reports a Secret that SOPS encrypts as a whole.
sops_encrypted if input.sops

# sops_value reports a value SOPS encrypted: a SOPS-encrypted Secret's value,
# or a file that a secretGenerator read, encrypted by SOPS.
sops_value(value) if contains(value, "ENC[AES256_GCM,")

# private_key reports a value holding a PEM private key.
private_key(value) if regex.match(`-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----`, value)

# registry_credentials reports a Docker config value with credentials.
registry_credentials(v) if {
	v.key in {".dockerconfigjson", ".dockercfg"}
	json.is_valid(v.value)
	config := json.unmarshal(v.value)
	auths := object.get(config, "auths", config)
	some _, entry in auths
	is_object(entry)
	some field in ["auth", "password", "identitytoken"]
	object.get(entry, field, "") != ""
}
