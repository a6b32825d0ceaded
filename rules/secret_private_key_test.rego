package fluxlint.secret_private_key_test

import data.fluxlint.secret_private_key

key := "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n"

test_private_key_in_data if {
	r := secret_private_key.deny with input as {"kind": "Secret", "metadata": {"name": "ssh"}, "data": {"identity": base64.encode(key), "known_hosts": base64.encode("github.com ssh-ed25519 AAAA")}}
	r == {{"msg": `Secret ssh: key "identity" holds a private key in plain text`, "path": ["data", "identity"]}}
}

test_private_key_in_string_data if {
	r := secret_private_key.deny with input as {"kind": "Secret", "metadata": {"name": "ssh"}, "stringData": {"identity": key}}
	[x.path | some x in r] == [["stringData", "identity"]]
}

test_certificate_only if {
	count(secret_private_key.deny) == 0 with input as {"kind": "Secret", "metadata": {"name": "ca"}, "stringData": {"ca.crt": "-----BEGIN CERTIFICATE-----\nabc"}}
}

test_sops_encrypted if {
	count(secret_private_key.deny) == 0 with input as {"kind": "Secret", "metadata": {"name": "ssh"}, "stringData": {"identity": key}, "sops": {"version": "3"}}
}
