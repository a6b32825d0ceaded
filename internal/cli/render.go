package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/gitroot"
	"github.com/fluxlint/fluxlint/internal/model"
)

func newRender(stdout io.Writer) *cobra.Command {
	var f checkFlags
	var name, release string
	cmd := &cobra.Command{
		Use:   "render [PATH] (--cluster NAME | --helmrelease NAMESPACE/NAME)",
		Short: "Print the rendered manifests of one cluster or one HelmRelease",
		Long: `render prints every object that Flux would apply to one cluster, or that one
HelmRelease's chart produces, as YAML documents in render order, each preceded
by comments naming its source file, the chain of Flux objects that produced it
and, for chart output, the chart template. Secret values are masked.`,
		Example: `  fluxlint render --cluster staging
  fluxlint render ./gitops --cluster prod=clusters/production > prod.yaml
  fluxlint render --helmrelease podinfo/podinfo --cluster staging --offline`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if name == "" && release == "" {
				return fmt.Errorf("render: --cluster or --helmrelease is required")
			}
			opts, _, err := f.options(pathArg(args))
			if err != nil {
				return err
			}
			clusters, err := renderNamed(cmd.Context(), opts, name)
			if err != nil {
				return err
			}
			// Files are named from the Git root, as check's outputs name them.
			prefix := gitroot.Prefix(opts.Path)
			if release == "" {
				return writeObjects(stdout, clusters[0].Objects, check.SecretValues(clusters[0]), prefix)
			}
			objs, secrets, err := releaseObjects(clusters, release)
			if err != nil {
				return err
			}
			return writeObjects(stdout, objs, secrets, prefix)
		},
	}
	f.register(cmd, false)
	completeCheckFlags(cmd)
	cmd.Flags().StringVar(&name, "cluster", "", "the cluster to render: a discovered NAME, or NAME=PATH")
	registerCompletion(cmd, "cluster", completeClusterNames)
	cmd.Flags().StringVar(&release, "helmrelease", "", "print only what this HelmRelease's chart renders, as NAMESPACE/NAME")
	return cmd
}

// releaseObjects returns the objects a HelmRelease's chart rendered, from
// the first cluster that renders it.
func releaseObjects(clusters []*model.Cluster, release string) ([]*model.Object, []string, error) {
	var known []string
	for _, c := range clusters {
		var objs []*model.Object
		for _, o := range c.Objects {
			if o.Release != nil && o.Release.Ref.Namespace+"/"+o.Release.Ref.Name == release {
				objs = append(objs, o)
			}
		}
		if len(objs) > 0 {
			return objs, check.SecretValues(c), nil
		}
		for _, hr := range c.HelmReleases {
			known = append(known, hr.Ref.Namespace+"/"+hr.Ref.Name)
		}
	}
	slices.Sort(known)
	known = slices.Compact(known)
	return nil, nil, fmt.Errorf("no HelmRelease %q rendered any object (HelmReleases: %s; see fluxlint check for why one did not render)", release, strings.Join(known, ", "))
}

// renderNamed renders the cluster called name (every cluster when name is
// ""). A name that the folder-shaped discovery does not know may be a
// cluster that only rendering finds (an orphan Kustomization's folder), so
// then every cluster is rendered, as check does, and the one of that name
// kept.
func renderNamed(ctx context.Context, opts check.Config, name string) ([]*model.Cluster, error) {
	if name != "" {
		entry, err := pickCluster(opts, name)
		switch {
		case err == nil:
			opts.Clusters = []flux.Entry{entry}
		case !errors.Is(err, errNoSuchCluster) || len(opts.Clusters) > 0:
			return nil, err
		}
	}
	res, err := check.Run(ctx, opts, check.Deps{})
	if err != nil {
		return nil, err
	}
	if name == "" || len(opts.Clusters) > 0 {
		return res.Clusters, nil
	}
	var names []string
	for _, c := range res.Clusters {
		if c.Name == name || c.Path == name {
			return []*model.Cluster{c}, nil
		}
		names = append(names, c.Name)
	}
	return nil, fmt.Errorf("%w %q (clusters: %s)", errNoSuchCluster, name, strings.Join(names, ", "))
}

// errNoSuchCluster is a cluster name that no cluster has.
var errNoSuchCluster = errors.New("no cluster")

// pickCluster finds a cluster by name among the configured or discovered
// ones; NAME=PATH names a folder directly.
func pickCluster(opts check.Config, name string) (flux.Entry, error) {
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
	return flux.Entry{}, fmt.Errorf("%w %q (clusters: %s)", errNoSuchCluster, name, strings.Join(names, ", "))
}

// writeObjects prints objects as YAML documents, with Secret values and
// the values that come from Secrets masked; source files are named from
// the folder that prefix is the checked folder's path in (outputPaths).
func writeObjects(w io.Writer, objs []*model.Object, secrets []string, prefix string) error {
	for _, o := range objs {
		data, err := maskedYAML(o, secrets)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "---\n# Source: %s\n", o.Origin.Under(prefix))
		if len(o.Chain) > 0 {
			fmt.Fprintf(w, "# Rendered by: %s\n", strings.Join(o.Chain, " > "))
		}
		if o.Template != "" {
			fmt.Fprintf(w, "# Template: %s\n", o.Template)
		}
		if _, err := w.Write(data); err != nil {
			return err
		}
	}
	return nil
}

// maskedYAML returns an object's YAML as render prints it: Secret values,
// SOPS values and the values that come from Secrets masked.
func maskedYAML(o *model.Object, secrets []string) ([]byte, error) {
	content := o.Content
	if o.Ref.Kind == "Secret" && o.Ref.APIVersion == "v1" {
		content = maskSecret(content)
	}
	data, err := yaml.Marshal(maskValues(check.MaskSOPS(content), secrets))
	if err != nil {
		return nil, fmt.Errorf("write %s: %w", o.Ref, err)
	}
	return data, nil
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
			m[k] = check.Masked
		}
		out[field] = m
	}
	return out
}

// maskValues returns a copy of v whose strings have every secret value
// masked; masking the structure, not the YAML text, keeps the YAML valid.
func maskValues(v any, secrets []string) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, c := range t {
			out[k] = maskValues(c, secrets)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, c := range t {
			out[i] = maskValues(c, secrets)
		}
		return out
	case string:
		return check.Mask(t, secrets)
	}
	return v
}
