package fluxlint.secret_registry_credentials_test

import data.fluxlint.secret_registry_credentials

config := `{"auths": {"ghcr.io": {"username": "bot", "password": "s3cret"}}}`

test_docker_config if {
	r := secret_registry_credentials.deny with input as {"kind": "Secret", "metadata": {"name": "pull"}, "data": {".dockerconfigjson": base64.encode(config)}}
	r == {{"msg": `Secret pull: key ".dockerconfigjson" holds registry credentials in plain text`, "path": ["data", ".dockerconfigjson"]}}
}

test_no_credentials if {
	count(secret_registry_credentials.deny) == 0 with input as {"kind": "Secret", "metadata": {"name": "pull"}, "data": {".dockerconfigjson": base64.encode(`{"auths": {"ghcr.io": {}}}`)}}
}

test_sops_encrypted if {
	count(secret_registry_credentials.deny) == 0 with input as {"kind": "Secret", "metadata": {"name": "pull"}, "stringData": {".dockerconfigjson": config}, "sops": {}}
}
