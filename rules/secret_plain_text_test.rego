package fluxlint.secret_plain_text_test

import data.fluxlint.secret_plain_text

secret(extra) := object.union({"kind": "Secret", "metadata": {"name": "s"}}, extra)

test_plain if {
	r := secret_plain_text.warn with input as secret({"data": {"user": base64.encode("admin"), "password": base64.encode("hunter2")}})
	r == {{"msg": "Secret s holds 2 values in plain text in the repository", "path": ["data"]}}
}

test_string_data if {
	r := secret_plain_text.warn with input as secret({"stringData": {"password": "hunter2"}})
	r == {{"msg": "Secret s holds 1 value in plain text in the repository", "path": ["stringData"]}}
}

test_sops_encrypted if {
	count(secret_plain_text.warn) == 0 with input as secret({"stringData": {"password": "ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]"}, "sops": {"version": "3.9.0"}})
}

test_generated_from_encrypted_file if {
	count(secret_plain_text.warn) == 0 with input as secret({"data": {".env": base64.encode("password=ENC[AES256_GCM,data:x,type:str]\nsops_version=3.9.0")}})
}

test_private_key_reported_elsewhere if {
	count(secret_plain_text.warn) == 0 with input as secret({"data": {"key": base64.encode("-----BEGIN RSA PRIVATE KEY-----\nabc")}})
}

test_empty if {
	count(secret_plain_text.warn) == 0 with input as secret({"data": {"token": ""}})
	count(secret_plain_text.warn) == 0 with input as secret({})
}

test_not_a_secret if {
	count(secret_plain_text.warn) == 0 with input as {"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "b"}}
}

test_certificate_is_public if {
	count(secret_plain_text.warn) == 0 with input as secret({"data": {"ca.crt": base64.encode("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")}})
}
