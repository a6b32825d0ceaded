# METADATA
# title: A private key is committed in plain text
# description: >-
#   A private key in a Secret or in a file that a secretGenerator reads is
#   readable by anyone with access to the repository, its forks and its
#   history: treat it as leaked.
# custom:
#   id: policy-secret-private-key
#   severity: error
#   kinds: [Secret]
#   fix: Rotate the key, remove it from the repository (and its history), and commit it encrypted with SOPS or create it outside git.
#   bad: |
#     kind: Secret
#     stringData:
#       tls.key: |
#         -----BEGIN PRIVATE KEY-----
#         MIIEvQIBADANBgkqhkiG9w0BAQEFAASC...
#   good: |
#     kind: Secret
#     stringData:
#       tls.key: ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:k=,type:str]
#     sops:
#       version: 3.9.0
package fluxlint.secret_private_key

import data.fluxlint.lib

deny contains result if {
	not lib.sops_encrypted
	some v in lib.secret_values
	lib.private_key(v.value)
	result := {
		"msg": sprintf("%s: key %q holds a private key in plain text", [lib.name, v.key]),
		"path": v.path,
	}
}
