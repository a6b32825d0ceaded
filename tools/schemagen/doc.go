// Command gen regenerates the schema bundles embedded by package schemas.
//
// It reads the Kubernetes OpenAPI v2 spec (api/openapi-spec/swagger.json)
// from the k8s.io/kubernetes module of each supported minor version and the
// Flux CRDs of several Flux releases, either from a controller's Go module
// (config/crd/bases) or, for controllers whose modules the Go module proxy
// does not serve, generated from the controller's API module with
// controller-gen (the version and options the Flux Makefiles use), run on a
// temporary copy of the module. The API modules of an older Flux release are
// the ones the go.mod of its github.com/fluxcd/flux2/v2 module requires. All
// releases go into one Flux bundle that stores each distinct schema and CRD
// once, and lists per release which apiVersions its CRDs serve. The CRDs
// of Flux Operator (group fluxcd.controlplane.io), which do not depend on
// the Flux release, are read from config/crd/bases of its module at the
// pinned version (fluxOperator records its commit and licence) into a
// bundle of their own. The CRD catalogue (catalogueProjects) is read from
// module zips whose h1: hashes are pinned, or from YAML vendored under
// schemas/crds at a release tag, and written as one bundle per project,
// each distinct CRD once, without descriptions, with an index of the
// projects' API groups (-catalogue-only writes only it). It
// converts every schema to a strict JSON schema (unknown fields are errors,
// as with the API server's strict field validation), drops descriptions, and
// writes one deterministic gzip file per bundle.
//
// Run it from the repository root (it lives in the tools module; -out, default
// ../schemas, is relative to tools/, where go -C runs it):
//
//	go -C tools run ./schemagen
//
// Modules are fetched with "go mod download" in a temporary directory and
// controller-gen is run with "go run module@version", so the project's go.mod
// is never touched. The output is byte-for-byte identical across runs.
package main
