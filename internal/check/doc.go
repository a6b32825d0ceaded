// Package check runs fluxlint's pipeline on a repository: it discovers the
// clusters, renders each one, checks the rendered objects and returns the
// findings, sorted.
package check
