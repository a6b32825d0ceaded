// Package rules holds fluxlint's built-in Rego policies, one rule a file
// (NAME.rego, with its METADATA and a NAME_test.rego beside it), and shared
// helpers in lib.rego. internal/policy compiles them into every run.
package rules

import "embed"

// FS holds the built-in policies and their tests.
//
//go:embed *.rego
var FS embed.FS
