package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/fluxlint/fluxlint/internal/termsafe"
)

// Exit codes, as DESIGN.md gives them.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitError    = 2
)

// An exitError carries the exit code a command wants.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// Version is the fluxlint version, set at build time with -ldflags
// "-X github.com/fluxlint/fluxlint/internal/cli.Version=v0.1.0", as
// scripts/release.sh does. When it is not set, fluxlintVersion reads the
// module version from the build information instead.
var Version = "dev"

// Commit is the Git commit fluxlint was built from, set at build time with
// -ldflags like Version; empty when it was not.
var Commit = ""

// Run runs fluxlint with args (without the program name) and returns the
// exit code. Errors are printed to stderr on one line.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var ee exitError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.code
	}
	// One line, whatever the error quotes of the repository.
	fmt.Fprintf(stderr, "fluxlint: %s\n", termsafe.Escape(err.Error()))
	return ExitError
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "fluxlint",
		Short: "Check a Flux GitOps repository before anything reaches a cluster",
		Long: `fluxlint renders every Flux Kustomization of a GitOps repository offline, as
Flux would, validates the rendered objects against Kubernetes and Flux schemas,
and reports every problem at the file, line and column to edit.`,
		Example: `  fluxlint check                        # check the repository in the current folder
  fluxlint rules explain schema-invalid
  fluxlint render --cluster production
  fluxlint version
  source <(fluxlint completion bash)    # shell completion: bash, zsh, fish or powershell`,
		// cobra adds the completion command; say so, as a default may change.
		CompletionOptions: cobra.CompletionOptions{DisableDefaultCmd: false},
		SilenceUsage:      true,
		SilenceErrors:     true,
		Version:           fluxlintVersion(),
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(newCheck(stdout, stderr), newRender(stdout), newRules(stdout), newVersion(stdout), newPolicy(stdout), newCharts(stdout), newLSP(stderr), newReport(stderr), newDiff(stdout, stderr), newCache(stdout), newInit(stdout, stderr))
	return root
}
