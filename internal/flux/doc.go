// Package flux knows Flux's objects: it finds the clusters of a repository,
// resolves Flux sources to local folders, and walks each cluster's graph of
// Kustomizations, rendering each one as the kustomize-controller would.
package flux
