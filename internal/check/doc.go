// Package check runs fluxlint's pipeline on a repository: with a Config
// (settings) and Deps (what outlives a run), it discovers the clusters,
// renders each one, runs the checkers of the stages on the rendered
// objects (schema.Checker, xref.Checker, policy.Engine), post-processes
// the findings in named steps (process.go) and returns them. Catalog lists
// the rules of every stage.
package check
