package cli

import (
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/lsp"
)

// stdio is the language server's stream: the editor writes requests to
// fluxlint's stdin and reads the replies from its stdout.
type stdio struct{}

func (stdio) Read(p []byte) (int, error)  { return os.Stdin.Read(p) }
func (stdio) Write(p []byte) (int, error) { return os.Stdout.Write(p) }
func (stdio) Close() error                { return os.Stdin.Close() }

func newLSP(stderr io.Writer) *cobra.Command {
	var f checkFlags
	cmd := &cobra.Command{
		Use:   "lsp",
		Short: "Run the language server: diagnostics in the editor on open and save",
		Long: `lsp speaks the Language Server Protocol on stdin and stdout. Started by an
editor for a workspace folder (the repository root; without one, the git root
of the first document opened), it checks the repository when a YAML file is
opened or saved and publishes every finding as a diagnostic at its file, line
and column, once per place with the clusters that report it, linked to the
rule's documentation; a save renders and checks again only the clusters that
read the saved file. A quick fix inserts a "# fluxlint:ignore RULE-ID reason"
comment above a diagnostic's line.

The language server never uses the network: charts come from local sources and
the chart cache (fill it with fluxlint charts pull). Renders and findings are
kept in the cache folder, as fluxlint check keeps them (--no-cache turns that
off), so a save builds again only the Flux Kustomizations that read the saved
file. .fluxlint.yaml is read as fluxlint check reads it, and again when it is
saved. Log lines go to stderr.`,
		Example: `  fluxlint lsp                           # started by the editor, see docs/report-and-editor.md for set-up
  fluxlint lsp --kubernetes-version 1.34 --policy policy`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return lsp.Serve(cmd.Context(), stdio{}, lsp.Options{
				Load: f.lspOptions, Log: stderr, Version: fluxlintVersion(),
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.kubernetesVersion, "kubernetes-version", "", "Kubernetes version whose schemas to use, e.g. 1.35 (default: the newest embedded)")
	fl.StringVar(&f.config, "config", "", "configuration file (default: ROOT/"+ConfigFile+" of the workspace)")
	fl.StringVar(&f.cacheDir, "cache-dir", "", "cache folder of charts, renders and findings (default: $XDG_CACHE_HOME/fluxlint or ~/.cache/fluxlint)")
	fl.BoolVar(&f.noCache, "no-cache", false, "render and check again what a save affects without the cache folder's renders and findings")
	f.policy.register(cmd)
	completeCheckFlags(cmd)
	return cmd
}

// lspOptions reads the configuration of the repository at root into the
// configuration of a check, as check does without its output flags, and
// the store of its runs.
func (f checkFlags) lspOptions(root string) (check.Config, check.Deps, error) {
	var deps check.Deps
	opts, cfg, err := f.options(root)
	if err != nil {
		return opts, deps, err
	}
	cat, err := check.Catalog()
	if err != nil {
		return opts, deps, err
	}
	if opts.Rules, err = ruleSettings(nil, nil, cat); err != nil {
		return opts, deps, err
	}
	if err := f.policy.apply(&opts, cfg, f.config, root, cat); err != nil {
		return opts, deps, err
	}
	opts.Offline = true
	if err := useStore(&deps, opts, f.noCache); err != nil {
		return opts, deps, err
	}
	return opts, deps, nil
}
