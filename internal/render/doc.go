// Package render builds Flux Kustomizations offline with Flux's own
// semantics (fluxcd/pkg/kustomize and fluxcd/pkg/envsubst) and keeps, for
// every rendered object, where in the repository it and its fields come from.
package render
