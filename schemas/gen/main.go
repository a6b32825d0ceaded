package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
)

// kubernetesVersions are the k8s.io/kubernetes module versions to embed: the
// newest patch release of each supported minor that the module proxy serves.
var kubernetesVersions = []string{"v1.33.13", "v1.34.4", "v1.35.4", "v1.36.3", "v1.37.2"}

// A fluxSource is one controller whose CRDs are embedded. Controllers with a
// Module are read from that Go module's config/crd/bases; the others from
// Dir under the -crds directory, copied from the controller's repository at
// Commit (the Go module proxy does not serve those modules).
type fluxSource struct {
	Name    string
	Module  string
	Version string
	Dir     string
	Commit  string
}

// fluxSources match the Flux API modules the project pins
// (kustomize-controller/api and source-controller/api v1.9.6,
// helm-controller/api v1.6.x).
var fluxSources = []fluxSource{
	{Name: "source-controller", Module: "github.com/fluxcd/source-controller", Version: "v1.9.6"},
	{Name: "kustomize-controller", Module: "github.com/fluxcd/kustomize-controller", Version: "v1.9.6"},
	{Name: "helm-controller", Version: "v1.6.3", Commit: "372c34e2b4a455d24ef6cbb8321c82c4533dbbd8"},
	{Name: "notification-controller", Version: "v1.9.3", Commit: "0b6fcb118ea64a36d7ca7d29904e4f5075be87bc"},
	{Name: "image-reflector-controller", Version: "v1.2.0", Commit: "cf3258bac4120a481fecf24d24c5245a5901f9c3"},
	{Name: "image-automation-controller", Version: "v1.2.1", Commit: "aec086297d39dc23ece874cad38efcff0b9ac0f5"},
	{Name: "source-watcher", Version: "v2.2.1", Commit: "824a8bdc6d2799877e590dd81ca0db4929958380"},
}

// config holds the command-line settings.
type config struct {
	outDir string
	crdDir string
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses args, generates every bundle and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := generate(ctx, cfg, stdout); err != nil {
		fmt.Fprintf(stderr, "gen: %v\n", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.outDir, "out", "schemas", "directory to write the bundles to")
	fs.StringVar(&cfg.crdDir, "crds", filepath.Join("schemas", "crds"), "directory with the copied Flux CRDs")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// generate writes every Kubernetes bundle and the Flux bundle.
func generate(ctx context.Context, cfg config, stdout io.Writer) error {
	for _, version := range kubernetesVersions {
		b, err := kubernetesBundle(ctx, version)
		if err != nil {
			return fmt.Errorf("kubernetes %s: %w", version, err)
		}
		minor := strings.Join(strings.Split(strings.TrimPrefix(version, "v"), ".")[:2], ".")
		name := filepath.Join(cfg.outDir, "kubernetes-"+minor+".json.gz")
		if err := writeBundle(name, b); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s (%d kinds, %d definitions)\n", name, len(b.Kinds), len(b.Definitions))
	}
	b, err := fluxBundle(ctx, cfg.crdDir)
	if err != nil {
		return fmt.Errorf("flux: %w", err)
	}
	name := filepath.Join(cfg.outDir, "flux.json.gz")
	if err := writeBundle(name, b); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d kinds)\n", name, len(b.Kinds))
	for _, k := range b.Kinds {
		if !k.Served {
			fmt.Fprintf(stdout, "  not served: %s/%s %s\n", k.Group, k.Version, k.Kind)
		}
	}
	return nil
}
