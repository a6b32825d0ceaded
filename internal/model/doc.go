// Package model holds what the stages of fluxlint pass to each other: the
// rendered objects with their provenance (the document, patch, generator
// entry, chart template or Flux Operator object that wrote each field), the
// clusters they belong to, Flux's API groups and kinds, and one table of the
// kinds that have no namespace, which also reads the scope of the CRDs in a
// cluster.
//
// It is a leaf of the import graph: it imports the standard library, YAML
// and fluxlint's source and finding packages only, so that a stage that
// only reads objects (the reference and policy checks) does not link
// kustomize or Helm.
package model
