// Package operator generates, offline and without a cluster, the objects
// that Flux Operator (controlplaneio-fluxcd/flux-operator) generates from
// its custom resources, so that fluxlint can check them like any other
// rendered object. It works on plain decoded YAML (map[string]any) and
// depends on no other fluxlint package but internal/kbuild.
//
// Flux Operator is AGPL-3.0: this package is an independent
// implementation of its documented and observed behaviour, written after
// reading its source at commit 17c6aeaddd8dacd5fbd4dd9e1bfe23a0a59df1fb;
// it copies no code and imports none of its modules.
//
// # ResourceSet
//
// ExpandResourceSet follows internal/builder/resourceset.go
// (BuildResourceSet, BuildResourceSetSteps, ValidateResourceSetSpec,
// newTemplate), internal/inputs (Combine, the Flatten and Permute
// strategies, NormalizeKeyForTemplate, ID, the "provider" value) and the
// input side of internal/controller/resourceset_controller.go (getInputs,
// the empty-inputs rule, owner labels, then spec.commonMetadata).
// Templates are spec.resources items serialised to YAML with sorted keys,
// and spec.resourcesTemplate, run as Go text/template with delimiters
// << >>, slim-sprig's hermetic functions, slugify, inputs, toYaml and
// mustToYaml, and missingkey=error. Their output is decoded with the same
// apimachinery YAML decoder as fluxcd/pkg/ssa, so YAML 1.1 quirks are
// kept: namespace: n decodes as the boolean false.
//
// Differences, all documented where they are made:
//   - A Static ResourceSetInputProvider's "id" is the checksum of its name
//     (as in the operator's CLI, flux-operator build resourceset), not of
//     its UID, which exists only in a cluster.
//   - Other provider types, and providers that are not found, are
//     UnresolvedProvider values: the expansion is Partial, generated from
//     the known inputs (Flatten) or not at all (Permute).
//   - slugify truncates to 63 characters itself instead of setting
//     gosimple/slug's package variables as the operator's init does.
//   - Work is bounded: MaxObjects, MaxOutputBytes, and sequence functions
//     (until, untilStep, seq) longer than 100,000 elements fail.
//   - The operator does not default the namespace of generated objects,
//     and neither does this package; copyFrom and kubeconfig annotations,
//     resolved against the cluster at apply time, are left as they are.
//
// # FluxInstance
//
// FluxInstanceSync follows internal/builder/templates.go (syncTmpl, and the
// namespace, labels and annotations transformers of kustomizationTmpl),
// internal/builder/build.go (generate), internal/builder/semver.go
// (getSourceAPIVersion) and the sync options of
// internal/controller/fluxinstance_controller.go (default name, interval
// printed as a Go duration, spec.kustomize.patches appended as kustomize
// patches). The build runs through kbuild.Run, which serialises kustomize.
// The controllers' manifests are not generated, so patches that only
// target them match nothing; strategic merge patches without a target keep
// only the documents that name a sync object. DistributionVersion reads
// spec.distribution.version as the Masterminds semver constraint it is
// (MatchVersion).
//
// FluxInstanceFromChartValues maps the values of a HelmRelease of the
// flux-instance chart (controlplaneio-fluxcd/charts,
// charts/flux-instance/templates/instance.yaml and values.yaml) to the
// FluxInstance the chart renders: values.instance.X becomes spec.X.
package operator
