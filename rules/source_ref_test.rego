package fluxlint.source_ref_test

import data.fluxlint.source_ref

test_git_without_ref if {
	r := source_ref.warn with input as {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository", "metadata": {"name": "app"}, "spec": {"url": "https://example.com/app"}}
	r == {{"msg": "GitRepository app has no spec.ref: it follows the master branch", "path": ["spec", "ref"]}}
}

test_oci_without_ref if {
	r := source_ref.warn with input as {"apiVersion": "source.toolkit.fluxcd.io/v1beta2", "kind": "OCIRepository", "metadata": {"name": "app"}, "spec": {"url": "oci://example.com/app", "ref": {}}}
	[x.msg | some x in r] == ["OCIRepository app has no spec.ref: it follows the latest tag"]
}

test_with_ref if {
	count(source_ref.warn) == 0 with input as {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "GitRepository", "metadata": {"name": "app"}, "spec": {"ref": {"branch": "main"}}}
}

test_helm_repository if {
	count(source_ref.warn) == 0 with input as {"apiVersion": "source.toolkit.fluxcd.io/v1", "kind": "HelmRepository", "metadata": {"name": "app"}, "spec": {"url": "https://charts"}}
}
