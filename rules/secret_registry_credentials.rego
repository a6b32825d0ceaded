# METADATA
# title: Registry credentials are committed in plain text
# description: >-
#   A .dockerconfigjson (or .dockercfg) with credentials, in a Secret or in a
#   file that a secretGenerator reads, gives anyone with access to the
#   repository the registry account: treat it as leaked.
# custom:
#   id: policy-secret-registry-credentials
#   severity: error
#   kinds: [Secret]
#   fix: Revoke the token, remove it from the repository (and its history), and commit it encrypted with SOPS or create it outside git.
#   bad: |
#     kind: Secret
#     type: kubernetes.io/dockerconfigjson
#     stringData:
#       .dockerconfigjson: '{"auths": {"ghcr.io": {"auth": "dXNlcjp0b2tlbg=="}}}'
#   good: |
#     kind: Secret
#     type: kubernetes.io/dockerconfigjson
#     stringData:
#       .dockerconfigjson: ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:k=,type:str]
#     sops:
#       version: 3.9.0
package fluxlint.secret_registry_credentials

import data.fluxlint.lib

deny contains result if {
	not lib.sops_encrypted
	some v in lib.secret_values
	lib.registry_credentials(v)
	result := {
		"msg": sprintf("%s: key %q holds registry credentials in plain text", [lib.name, v.key]),
		"path": v.path,
	}
}
