package schemas

import "embed"

// FS holds the generated schema bundles, named kubernetes-1.NN.json.gz,
// flux.json.gz and flux-operator.json.gz.
//
//go:embed *.json.gz
var FS embed.FS

// FluxBundle is the name, inside FS, of the Flux CRD bundle, which holds
// the CRDs of every embedded Flux release.
const FluxBundle = "flux.json.gz"

// FluxOperatorBundle is the name, inside FS, of the bundle of the Flux
// Operator CRDs (group fluxcd.controlplane.io), which do not depend on the
// Flux release.
const FluxOperatorBundle = "flux-operator.json.gz"

// KubernetesBundlePrefix and KubernetesBundleSuffix surround the Kubernetes
// minor version ("1.37") in the name of a Kubernetes bundle inside FS.
const (
	KubernetesBundlePrefix = "kubernetes-"
	KubernetesBundleSuffix = ".json.gz"
)

// Catalogue holds the CRD catalogue: CatalogueIndex, which says which
// project serves which API groups, and one bundle per project
// (catalogue/NAME.json.gz) with the CRDs of each embedded version of it.
//
//go:embed catalogue/*.json.gz
var Catalogue embed.FS

// CatalogueIndex is the name, inside Catalogue, of the catalogue's index.
const CatalogueIndex = "catalogue/index.json.gz"

// CatalogueDir is the folder, inside Catalogue, of the project bundles.
const CatalogueDir = "catalogue"
