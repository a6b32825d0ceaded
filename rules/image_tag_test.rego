package fluxlint.image_tag_test

import data.fluxlint.image_tag

pod(image) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "image": image}]}}

test_latest if {
	r := image_tag.warn with input as pod("nginx:latest")
	r == {{"msg": `Pod p: container "app" runs image "nginx:latest" with the tag latest`, "path": ["spec", "containers", 0, "image"]}}
}

test_no_tag if {
	r := image_tag.warn with input as pod("localhost:5000/team/app")
	[x.msg | some x in r] == [`Pod p: container "app" runs image "localhost:5000/team/app" without a tag (that is latest)`]
}

test_version_tag if {
	count(image_tag.warn) == 0 with input as pod("localhost:5000/team/app:1.2.3")
}

test_digest if {
	count(image_tag.warn) == 0 with input as pod("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
}
