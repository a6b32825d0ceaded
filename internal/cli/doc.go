// Package cli holds fluxlint's commands. Flags are read into a config value;
// nothing here is global, so commands can run in-process in tests.
package cli
