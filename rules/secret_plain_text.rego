# METADATA
# title: A Secret is committed in plain text
# description: >-
#   Anyone who can read the repository, its forks and its history can read the
#   Secret's values. Flux decrypts SOPS-encrypted Secrets when it applies them,
#   so they need not be committed in the clear.
# custom:
#   id: policy-secret-plain-text
#   severity: warning
#   kinds: [Secret]
#   fix: Encrypt the Secret (or the files its secretGenerator reads) with SOPS and set spec.decryption on the Kustomization, or create it outside git (External Secrets, Sealed Secrets).
#   bad: |
#     kind: Secret
#     stringData:
#       password: hunter2
#   good: |
#     kind: Secret
#     stringData:
#       password: ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:k=,type:str]
#     sops:
#       version: 3.9.0
package fluxlint.secret_plain_text

import data.fluxlint.lib

warn contains result if {
	not lib.sops_encrypted
	plain := [v.key |
		some v in lib.secret_values
		v.value != ""
		not lib.sops_value(v.value)
		not lib.private_key(v.value) # policy-secret-private-key reports those
		not lib.registry_credentials(v) # policy-secret-registry-credentials too
		not certificates_only(v.value)
	]
	count(plain) > 0
	field := fields[0]
	result := {
		"msg": sprintf("%s holds %s in plain text in the repository", [lib.name, values(count(plain))]),
		"path": [field],
	}
}

# certificates_only reports PEM certificates, which are public.
certificates_only(value) if {
	startswith(trim_space(value), "-----BEGIN CERTIFICATE-----")
	not contains(value, "PRIVATE KEY-----")
}

# fields is the first of data and stringData that the Secret has.
fields := [f | some f in ["data", "stringData"]; count(object.get(input, f, {})) > 0]

values(1) := "1 value"

values(n) := sprintf("%d values", [n]) if n != 1
