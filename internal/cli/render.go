package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/render"
)

// masked replaces every Secret value in rendered output.
const masked = "**masked**"

func newRender(stdout io.Writer) *cobra.Command {
	var f checkFlags
	var name string
	cmd := &cobra.Command{
		Use:   "render [PATH] --cluster NAME",
		Short: "Print the rendered manifests of one cluster",
		Long: `render prints every object that Flux would apply to one cluster, as YAML
documents in render order, each preceded by a comment naming its source file
and the chain of Flux Kustomizations that produced it. Secret values are masked.`,
		Example: `  fluxlint render --cluster staging
  fluxlint render ./gitops --cluster prod=clusters/production > prod.yaml`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if name == "" {
				return fmt.Errorf("render: --cluster is required")
			}
			path := pathArg(args)
			opts, _, err := f.options(path)
			if err != nil {
				return err
			}
			entry, err := pickCluster(opts, name)
			if err != nil {
				return err
			}
			opts.Clusters = []flux.Entry{entry}
			res, err := check.Run(cmd.Context(), opts)
			if err != nil {
				return err
			}
			return writeObjects(stdout, res.Clusters[0].Objects)
		},
	}
	f.register(cmd, false)
	cmd.Flags().StringVar(&name, "cluster", "", "the cluster to render: a discovered NAME, or NAME=PATH")
	return cmd
}

// pickCluster finds a cluster by name among the configured or discovered
// ones; NAME=PATH names a folder directly.
func pickCluster(opts check.Options, name string) (flux.Entry, error) {
	if strings.Contains(name, "=") {
		es, err := parseClusters([]string{name}, nil)
		if err != nil {
			return flux.Entry{}, err
		}
		return es[0], nil
	}
	entries := opts.Clusters
	if len(entries) == 0 {
		var err error
		if entries, err = discover(opts.Path); err != nil {
			return flux.Entry{}, err
		}
	}
	var names []string
	for _, e := range entries {
		if e.Name == name || e.Path == name {
			return e, nil
		}
		names = append(names, e.Name)
	}
	return flux.Entry{}, fmt.Errorf("no cluster %q (clusters: %s)", name, strings.Join(names, ", "))
}

func writeObjects(w io.Writer, objs []*render.Object) error {
	for _, o := range objs {
		content := o.Content
		if o.Ref.Kind == "Secret" && o.Ref.APIVersion == "v1" {
			content = maskSecret(content)
		}
		data, err := yaml.Marshal(content)
		if err != nil {
			return fmt.Errorf("write %s: %w", o.Ref, err)
		}
		fmt.Fprintf(w, "---\n# Source: %s\n", o.Origin)
		if len(o.Chain) > 0 {
			fmt.Fprintf(w, "# Rendered by: %s\n", strings.Join(o.Chain, " > "))
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// maskSecret returns a copy of a Secret whose data and stringData values
// are masked.
func maskSecret(content map[string]any) map[string]any {
	out := make(map[string]any, len(content))
	for k, v := range content {
		out[k] = v
	}
	for _, field := range []string{"data", "stringData"} {
		values, ok := content[field].(map[string]any)
		if !ok {
			continue
		}
		keys := make([]string, 0, len(values))
		for k := range values {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		m := make(map[string]any, len(keys))
		for _, k := range keys {
			m[k] = masked
		}
		out[field] = m
	}
	return out
}
