package fluxlint.helm_chart_version_test

import data.fluxlint.helm_chart_version

release(spec) := {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "metadata": {"name": "web"}, "spec": {"chart": {"spec": spec}}}

test_range if {
	r := helm_chart_version.warn with input as release({"chart": "podinfo", "version": "6.x", "sourceRef": {"kind": "HelmRepository", "name": "p"}})
	r == {{"msg": `HelmRelease web: chart "podinfo" has the version range "6.x": any matching release is installed on the next reconcile`, "path": ["spec", "chart", "spec", "version"]}}
}

test_unpinned_forms if {
	every v in ["*", ">=1.0.0", "^1.2.3", "~1.2", "1.2", "1.0.0 - 2.0.0"] {
		count(helm_chart_version.warn) == 1 with input as release({"chart": "c", "version": v, "sourceRef": {"kind": "HelmRepository", "name": "p"}})
	}
}

test_no_version if {
	r := helm_chart_version.warn with input as release({"chart": "podinfo", "sourceRef": {"kind": "HelmRepository", "name": "p"}})
	[x.msg | some x in r] == [`HelmRelease web: chart "podinfo" has no version: the newest is installed on every reconcile`]
}

test_exact if {
	every v in ["6.7.1", "v1.0.0", "1.0.0-rc.1", "1.0.0+build.5"] {
		count(helm_chart_version.warn) == 0 with input as release({"chart": "c", "version": v, "sourceRef": {"kind": "HelmRepository", "name": "p"}})
	}
}

test_git_chart if {
	count(helm_chart_version.warn) == 0 with input as release({"chart": "./charts/web", "sourceRef": {"kind": "GitRepository", "name": "repo"}})
}

test_chart_ref if {
	r := {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease", "metadata": {"name": "web"}, "spec": {"chartRef": {"kind": "OCIRepository", "name": "web"}}}
	count(helm_chart_version.warn) == 0 with input as r
}
