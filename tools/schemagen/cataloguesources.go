package main

// A catalogueProject is one project whose CRDs the catalogue embeds: the
// CRDs people deploy with Flux and commit custom resources of (cert-manager
// Certificates, Gateway API HTTPRoutes, ServiceMonitors...), which fluxlint
// otherwise reports as kinds without a schema when their chart is not cached
// or they are installed outside the repository.
type catalogueProject struct {
	// Name is what the catalogueVersions setting calls the project.
	Name string
	// Repository is the upstream repository the CRDs come from.
	Repository string
	// License is the licence of that repository. The CRDs are API
	// definitions read as schema input, as the Flux CRDs are; no project
	// code is embedded.
	License string
	// Versions are the embedded versions, the default first.
	Versions []catalogueInput
}

// A catalogueInput is where the CRDs of one version of a project are read:
// either from a Go module zip at a pinned version, checked against the
// module's hash, or from YAML files vendored under schemas/crds, taken from
// the upstream repository at a release tag (their README names the tag,
// commit and licence).
type catalogueInput struct {
	// Version is the name of the embedded version in catalogueVersions,
	// e.g. "v1.21.2", or "v1.7.0-experimental" for a second channel.
	Version string
	// Module and ModuleVersion name a Go module; Sum is its h1: hash as
	// go.sum records it, which the downloaded zip must have.
	Module, ModuleVersion, Sum string
	// Vendored is the folder under schemas/crds holding the files, e.g.
	// "rook/v1.20.6"; it is used when Module is empty.
	Vendored string
	// Tag and Commit name the upstream release of vendored files.
	Tag, Commit string
	// Repository, when set, is where this version comes from instead of
	// the project's repository: a fork, made a channel of its own.
	Repository string
	// Paths are the folders or files, inside the module or the vendored
	// folder, whose YAML documents are read; documents that are not
	// CustomResourceDefinitions are skipped.
	Paths []string
	// DropTemplateLines removes the lines that hold a Helm template
	// action: Longhorn's crds.yaml is a chart template whose only actions
	// set metadata.labels, which the catalogue does not keep.
	DropTemplateLines bool
}

// The Gateway API module's hashes, shared by both channels of a release.
const (
	gatewayAPI16Sum = "h1:lKpJa5bGlraC/QeACvCpsHLdmO6y0iKfzVl6gzaFEYc="
	gatewayAPI17Sum = "h1:duVnm7nO6oXfMMUWfcDoBph47CYR/ME3NGxccOVglaY="
)

// catalogueProjects are the embedded projects, by name. They were chosen by
// counting the custom resource kinds committed in public Flux repositories
// (see the README's catalogue section); versions are the newest releases
// the Go module proxy or a mirror of the upstream repository had in
// 2026-12. The Flux Operator CRDs have a bundle of their own.
var catalogueProjects = []catalogueProject{
	{Name: "argo-rollouts", Repository: "https://github.com/argoproj/argo-rollouts", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v1.10.2", Module: "github.com/argoproj/argo-rollouts", ModuleVersion: "v1.10.2",
			Sum: "h1:sEPWsY+HUvnXj3Vh0ejb+GDTceQ/palqhFo2FVQJMk0=", Paths: []string{"manifests/crds"}}}},
	{Name: "barman-cloud", Repository: "https://github.com/cloudnative-pg/plugin-barman-cloud", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v0.14.0", Module: "github.com/cloudnative-pg/plugin-barman-cloud", ModuleVersion: "v0.14.0",
			Sum: "h1:kpTo7egntRIM15hvo0xtOj07wyjj23jcz/Co0KfzC7s=", Paths: []string{"config/crd/bases"}}}},
	{Name: "cert-manager", Repository: "https://github.com/cert-manager/cert-manager", License: "Apache-2.0",
		Versions: []catalogueInput{
			{Version: "v1.21.2", Module: "github.com/cert-manager/cert-manager", ModuleVersion: "v1.21.2",
				Sum: "h1:UWgoYM+KLNtRlqmoWOKjKBOBUPVHeepQ6/ac3ERJW68=", Paths: []string{"deploy/crds"}},
			{Version: "v1.20.2", Module: "github.com/cert-manager/cert-manager", ModuleVersion: "v1.20.2",
				Sum: "h1:CimnY00nLqB2lmxhoSuEC4GDMFDK7JCXqyjwMM9ndIQ=", Paths: []string{"deploy/crds"}},
		}},
	{Name: "cilium", Repository: "https://github.com/cilium/cilium", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v1.20.2", Module: "github.com/cilium/cilium", ModuleVersion: "v1.20.2",
			Sum: "h1:dqiEGIcXc+gqCLYG/l7VCFJ8GHyb4HUrwbZOpkX5dL8=", Paths: []string{"pkg/k8s/apis/cilium.io/client/crds/v2", "pkg/k8s/apis/cilium.io/client/crds/v2alpha1"}}}},
	{Name: "cloudnative-pg", Repository: "https://github.com/cloudnative-pg/cloudnative-pg", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v1.30.0", Vendored: "cloudnative-pg/v1.30.0", Tag: "v1.30.0",
			Commit: "4b5e244a7d031f67e025c83c1555e7726ecbbfa1", Paths: []string{"."}}}},
	{Name: "crossplane", Repository: "https://github.com/crossplane/crossplane", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v2.3.4", Vendored: "crossplane/v2.3.4", Tag: "v2.3.4",
			Commit: "c2670a735103660d7f436585447f2071bc1de973", Paths: []string{"."}}}},
	{Name: "crunchy-postgres", Repository: "https://github.com/CrunchyData/postgres-operator", License: "Apache-2.0",
		// The module path lacks the /v6 suffix, so the Go module proxy
		// does not serve v6 releases: the CRDs are vendored.
		Versions: []catalogueInput{{Version: "v6.0.3", Vendored: "crunchy-postgres/v6.0.3", Tag: "v6.0.3",
			Commit: "0fbac3062d649b2b5fadde4e00f17bad250c0052", Paths: []string{"."}}}},
	{Name: "dragonfly-operator", Repository: "https://github.com/dragonflydb/dragonfly-operator", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v1.6.1", Vendored: "dragonfly-operator/v1.6.1", Tag: "v1.6.1",
			Commit: "b28637d78d828f80a3b3fd76acaa2dd6e3c28603", Paths: []string{"."}}}},
	{Name: "envoy-gateway", Repository: "https://github.com/envoyproxy/gateway", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v1.9.1", Module: "github.com/envoyproxy/gateway", ModuleVersion: "v1.9.1",
			Sum: "h1:vAVp6/AlBXJ1aOhp1mxL7fNEzVEfjADUguUhm2wzxQY=", Paths: []string{"charts/gateway-helm/charts/crds/crds/generated"}}}},
	{Name: "ext-postgres-operator", Repository: "https://github.com/movetokube/postgres-operator", License: "MIT",
		// The module path lacks a /v2 suffix, so the Go module proxy does
		// not serve v2 releases: the CRDs are vendored.
		Versions: []catalogueInput{{Version: "v2.4.0", Vendored: "ext-postgres-operator/2.4.0", Tag: "2.4.0",
			Commit: "5b969e3c1a16803430cfecaa68f3989774af1f4d", Paths: []string{"."}}}},
	{Name: "external-dns", Repository: "https://github.com/kubernetes-sigs/external-dns", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v0.23.0", Module: "sigs.k8s.io/external-dns", ModuleVersion: "v0.23.0",
			Sum: "h1:35KyAZtLN8o5nIE0aPKfyhILbf5HHkKPJby/4FowPJM=", Paths: []string{"config/crd/standard"}}}},
	{Name: "external-secrets", Repository: "https://github.com/external-secrets/external-secrets", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v2.9.0", Vendored: "external-secrets/v2.9.0", Tag: "v2.9.0",
			Commit: "378bdb622ed9712ef4a58370f6a17af033b7d343", Paths: []string{"."}}}},
	{Name: "gateway-api", Repository: "https://github.com/kubernetes-sigs/gateway-api", License: "Apache-2.0",
		Versions: []catalogueInput{
			{Version: "v1.7.0-experimental", Module: "sigs.k8s.io/gateway-api", ModuleVersion: "v1.7.0",
				Sum: gatewayAPI17Sum, Paths: []string{"config/crd/experimental"}},
			{Version: "v1.7.0", Module: "sigs.k8s.io/gateway-api", ModuleVersion: "v1.7.0",
				Sum: gatewayAPI17Sum, Paths: []string{"config/crd/standard"}},
			{Version: "v1.6.3-experimental", Module: "sigs.k8s.io/gateway-api", ModuleVersion: "v1.6.3",
				Sum: gatewayAPI16Sum, Paths: []string{"config/crd/experimental"}},
			{Version: "v1.6.3", Module: "sigs.k8s.io/gateway-api", ModuleVersion: "v1.6.3",
				Sum: gatewayAPI16Sum, Paths: []string{"config/crd/standard"}},
		}},
	{Name: "grafana-operator", Repository: "https://github.com/grafana/grafana-operator", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v5.24.0", Vendored: "grafana-operator/v5.24.0", Tag: "v5.24.0",
			Commit: "065a718a1fe83728d08054c299de7f8577e88f79", Paths: []string{"."}}}},
	{Name: "istio", Repository: "https://github.com/istio/api", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v1.32.0", Module: "istio.io/api", ModuleVersion: "v1.32.0",
			Sum: "h1:37mJvg9I0biYZAEQF+MATs4FNeCpXEIVO3LFpVb6iNM=", Paths: []string{"kubernetes/customresourcedefinitions.gen.yaml"}}}},
	{Name: "keda", Repository: "https://github.com/kedacore/keda", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v2.21.1", Module: "github.com/kedacore/keda/v2", ModuleVersion: "v2.21.1",
			Sum: "h1:AoPpnkEeuSYUb1dAqQO5Pud9BpCPiOqurnKtnKobl6Q=", Paths: []string{"config/crd/bases"}}}},
	{Name: "kopiur", Repository: "https://github.com/home-operations/kopiur", License: "AGPL-3.0",
		// Commit is the last change of release 0.10.3, where the files were
		// read (schemas/crds/kopiur/README.md says why not the tag's own).
		Versions: []catalogueInput{{Version: "v0.10.3", Vendored: "kopiur/0.10.3", Tag: "0.10.3",
			Commit: "74665dc7ae245523b3b21e907ca6663e4d172e47", Paths: []string{"."}}}},
	{Name: "kyverno", Repository: "https://github.com/kyverno/kyverno", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v1.19.1", Module: "github.com/kyverno/kyverno", ModuleVersion: "v1.19.1",
			Sum: "h1:/MkgFii3/VlQfKR1JpC9tVwNNVNQTt2S4U6qCsafsTU=", Paths: []string{"config/crds/kyverno", "config/crds/policies.kyverno.io", "config/crds/policyreport", "config/crds/reports"}}}},
	{Name: "litellm-operator", Repository: "https://github.com/home-operations/litellm-operator", License: "AGPL-3.0",
		Versions: []catalogueInput{{Version: "v0.0.15", Vendored: "litellm-operator/0.0.15", Tag: "0.0.15",
			Commit: "d3e7eb6ce6a325603be9746937897cd607fc33b9", Paths: []string{"."}}}},
	{Name: "longhorn", Repository: "https://github.com/longhorn/longhorn-manager", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v1.12.1", Vendored: "longhorn/v1.12.1", Tag: "v1.12.1",
			Commit: "8320238242e8c804325d9588ec1db10feb9f36b8", Paths: []string{"."}, DropTemplateLines: true}}},
	{Name: "metallb", Repository: "https://github.com/metallb/metallb", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v0.16.2", Module: "go.universe.tf/metallb", ModuleVersion: "v0.16.2",
			Sum: "h1:RCSAGoZmqcvTg0e56+Okbwz8iTuQVX30JpKX5mYEPUM=", Paths: []string{"config/crd/bases"}}}},
	{Name: "miroir", Repository: "https://github.com/home-operations/miroir", License: "AGPL-3.0",
		Versions: []catalogueInput{{Version: "v0.11.22", Vendored: "miroir/0.11.22", Tag: "0.11.22",
			Commit: "7d128c6334efc1ffcc758db0b938bb5ee53a6795", Paths: []string{"."}}}},
	{Name: "multus", Repository: "https://github.com/k8snetworkplumbingwg/network-attachment-definition-client", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v1.7.7", Vendored: "multus/v1.7.7", Tag: "v1.7.7",
			Commit: "46fcc4112dcb9af0b277dc85fec8178acbddd5ab", Paths: []string{"."}}}},
	{Name: "node-feature-discovery", Repository: "https://github.com/kubernetes-sigs/node-feature-discovery", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v0.19.0", Module: "sigs.k8s.io/node-feature-discovery", ModuleVersion: "v0.19.0",
			Sum: "h1:9CYm16vjSIbNO5Z1Y67rcrfy51YWmy3+6wjiWzJbrC4=", Paths: []string{"deployment/base/nfd-crds/nfd-api-crds.yaml"}}}},
	{Name: "opentelemetry-operator", Repository: "https://github.com/open-telemetry/opentelemetry-operator", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v0.158.0", Vendored: "opentelemetry-operator/v0.158.0", Tag: "v0.158.0",
			Commit: "7fb513848c6d4ea79b277352fc13ce11eb734b1a", Paths: []string{"."}}}},
	{Name: "pocket-id-operator", Repository: "https://github.com/aclerici38/pocket-id-operator", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v0.14.1", Vendored: "pocket-id-operator/v0.14.1", Tag: "v0.14.1",
			Commit: "f217e02a8c58965d327c863c1176e7627bf27d8a", Paths: []string{"."}}}},
	{Name: "prometheus-operator", Repository: "https://github.com/prometheus-operator/prometheus-operator", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v0.93.0", Vendored: "prometheus-operator/v0.93.0", Tag: "v0.93.0",
			Commit: "f8fafd475f3d132e239432ae6172de60a6cb6516", Paths: []string{"."}}}},
	{Name: "renovate-operator", Repository: "https://github.com/mogenius/renovate-operator", License: "MIT",
		// The module is in a subfolder (src) without the chart's CRDs.
		Versions: []catalogueInput{{Version: "v6.0.1", Vendored: "renovate-operator/6.0.1", Tag: "6.0.1",
			Commit: "c5325564e18e76a619df61bbced09868cbb95e19", Paths: []string{"."}}}},
	{Name: "rook", Repository: "https://github.com/rook/rook", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v1.20.6", Vendored: "rook/v1.20.6", Tag: "v1.20.6",
			Commit: "4e1b7a626891a215949ab42a6957a0ef1e1a25e6", Paths: []string{"."}}}},
	{Name: "silence-operator", Repository: "https://github.com/giantswarm/silence-operator", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v0.21.0", Vendored: "silence-operator/v0.21.0", Tag: "v0.21.0",
			Commit: "8bb6b72b04a187a2ebaa55fc8308d45f6c7e53b9", Paths: []string{"."}}}},
	{Name: "snapshot-controller", Repository: "https://github.com/kubernetes-csi/external-snapshotter", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v8.7.0", Module: "github.com/kubernetes-csi/external-snapshotter/client/v8", ModuleVersion: "v8.7.0",
			Sum: "h1:HVaSUeRRHPu49aSiL8eXOjS9Re9G6pM0NzdTGI7mM14=", Paths: []string{"config/crd"}}}},
	{Name: "system-upgrade-controller", Repository: "https://github.com/rancher/system-upgrade-controller", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v0.20.1", Module: "github.com/rancher/system-upgrade-controller", ModuleVersion: "v0.20.1",
			Sum: "h1:1qMIxc7CDdlZlXl/8Awpr+otShl1ltND3JKdSEA8zyw=", Paths: []string{"pkg/crds/yaml/generated"}}}},
	{Name: "tailscale", Repository: "https://github.com/tailscale/tailscale", License: "BSD-3-Clause",
		Versions: []catalogueInput{{Version: "v1.102.3", Module: "tailscale.com", ModuleVersion: "v1.102.3",
			Sum: "h1:M1czCAtMuIcg+2Z+FBPbJyAk3ZEQGEFKnvHthtE1c6M=", Paths: []string{"cmd/k8s-operator/deploy/crds"}}}},
	{Name: "talos", Repository: "https://github.com/siderolabs/talos", License: "MPL-2.0",
		// Talos builds its ServiceAccount CRD in Go; the file is the
		// output its own test pins (schemas/crds/talos/README.md).
		Versions: []catalogueInput{{Version: "v1.13.9", Vendored: "talos/v1.13.9", Tag: "v1.13.9",
			Commit: "3ebd10a7c1bd0f81742bdcd0c3fe56d727db7401", Paths: []string{"."}}}},
	{Name: "tofu-controller", Repository: "https://github.com/flux-iac/tofu-controller", License: "Apache-2.0",
		// The folder also holds a copy of Flux's OCIRepository CRD.
		Versions: []catalogueInput{{Version: "v0.16.5", Module: "github.com/flux-iac/tofu-controller", ModuleVersion: "v0.16.5",
			Sum: "h1:REvfbO38R2wd5saEtw+QW4HUKokGunL+vsqwo85+IzA=", Paths: []string{"config/crd/bases/infra.contrib.fluxcd.io_terraforms.yaml"}}}},
	{Name: "toolhive", Repository: "https://github.com/stacklok/toolhive", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v0.44.0", Module: "github.com/stacklok/toolhive", ModuleVersion: "v0.44.0",
			Sum: "h1:Eq5jxUaU5BpogwOz6aCXKoNWpRmHM0xUjnMVNMXIFSI=", Paths: []string{"deploy/charts/operator-crds/files/crds"}}}},
	{Name: "traefik", Repository: "https://github.com/traefik/traefik", License: "MIT",
		Versions: []catalogueInput{{Version: "v3.7.13", Module: "github.com/traefik/traefik/v3", ModuleVersion: "v3.7.13",
			Sum: "h1:T8wy9KuaFzCkmXCqAzDy7t73pBDR1DHrJe3pqXpNXTw=", Paths: []string{"docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml"}}}},
	{Name: "tuppr", Repository: "https://github.com/home-operations/tuppr", License: "AGPL-3.0",
		Versions: []catalogueInput{{Version: "v0.5.0", Vendored: "tuppr/0.5.0", Tag: "0.5.0",
			Commit: "6da4415f140bfee9b17667b532b45e09f50fabf6", Paths: []string{"."}}}},
	{Name: "velero", Repository: "https://github.com/vmware-tanzu/velero", License: "Apache-2.0",
		Versions: []catalogueInput{{Version: "v1.18.3", Module: "github.com/vmware-tanzu/velero", ModuleVersion: "v1.18.3",
			Sum: "h1:9uwN5yxTWQl9PsF5ljX4xiG+7VIq3I9mxOQ0DyyZ31A=", Paths: []string{"config/crd/v1/bases", "config/crd/v2alpha1/bases"}}}},
	{Name: "victoria-metrics-operator", Repository: "https://github.com/VictoriaMetrics/operator", License: "Apache-2.0",
		// crd.yaml without descriptions, which the catalogue drops anyway.
		Versions: []catalogueInput{{Version: "v0.74.1", Module: "github.com/VictoriaMetrics/operator", ModuleVersion: "v0.74.1",
			Sum: "h1:NyGPEt1HlrwpF9zSqdcrrBaxI2uUfndNppOCmlDrZhc=", Paths: []string{"config/crd/overlay/crd.descriptionless.yaml"}}}},
	{Name: "volsync", Repository: "https://github.com/backube/volsync", License: "AGPL-3.0",
		Versions: []catalogueInput{{Version: "v0.16.0", Vendored: "volsync/v0.16.0", Tag: "v0.16.0",
			Commit: "22b97b0717c74f328853d92877151392ff5ecb42", Paths: []string{"."}},
			// The fork that the volsync-perfectra1n chart (0.18.x) installs,
			// with a Kopia mover and a KopiaMaintenance kind: a cluster that
			// installs that chart is checked with it (its name ends with the
			// chart's extra word).
			{Version: "v0.17.11-perfectra1n", Repository: "https://github.com/perfectra1n/volsync",
				Vendored: "volsync/v0.17.11-perfectra1n", Tag: "v0.17.11",
				Commit: "0b08a4874576188255523833c9569c5f252064d0", Paths: []string{"."}}}},
}
