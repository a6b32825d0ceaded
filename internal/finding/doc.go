// Package finding defines the one result type that every stage of fluxlint
// produces: a Finding with a rule ID, a severity, a message and the source
// position a person has to edit. It also holds the catalogue of built-in
// rules and the deterministic ordering of findings.
package finding
