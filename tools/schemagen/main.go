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

// A fluxSource is one Flux controller whose CRDs are embedded, read from a
// Go module the module proxy serves. When Generate is false, Module is the
// controller's own module and its committed config/crd/bases are read. When
// Generate is true, Module is the controller's API module (the proxy does not
// serve the controller modules themselves) and the CRDs are generated from
// its Go types with controller-gen, as the controller's "make manifests" does.
type fluxSource struct {
	Name     string
	Module   string
	Version  string
	Generate bool
}

// fluxSources are the controllers of the newest embedded Flux release,
// 2.9. They match the Flux API modules the project pins
// (kustomize-controller/api and source-controller/api v1.9.6,
// helm-controller/api v1.6.5). The API modules are the newest patch release
// of each controller's minor that builds with Go 1.26 (the next minors need
// Go 1.27).
var fluxSources = []fluxSource{
	{Name: "source-controller", Module: "github.com/fluxcd/source-controller", Version: "v1.9.6"},
	{Name: "kustomize-controller", Module: "github.com/fluxcd/kustomize-controller", Version: "v1.9.6"},
	{Name: "helm-controller", Module: "github.com/fluxcd/helm-controller/api", Version: "v1.6.5", Generate: true},
	{Name: "notification-controller", Module: "github.com/fluxcd/notification-controller/api", Version: "v1.9.4", Generate: true},
	{Name: "image-reflector-controller", Module: "github.com/fluxcd/image-reflector-controller/api", Version: "v1.2.5", Generate: true},
	{Name: "image-automation-controller", Module: "github.com/fluxcd/image-automation-controller/api", Version: "v1.2.5", Generate: true},
	{Name: "source-watcher", Module: "github.com/fluxcd/source-watcher/api/v2", Version: "v2.2.4", Generate: true},
}

// controllerGen is the controller-gen the Flux controllers of fluxSources
// generate their CRDs with (CONTROLLER_GEN_VERSION in their Makefiles), run
// with "go run module@version" so the project's go.mod is never touched.
const controllerGen = "sigs.k8s.io/controller-tools/cmd/controller-gen@v0.21.0"

// controllerGenOptions are the CRD_OPTIONS of the Flux controllers' Makefiles.
const controllerGenOptions = "crd:crdVersions=v1"

// schemasDir is the folder of package schemas, relative to tools/, where
// "go -C tools run ./schemagen" runs the generator and go test runs its
// tests from one folder further down.
const schemasDir = "../schemas"

// config holds the command-line settings.
type config struct {
	outDir        string
	fluxOnly      bool
	catalogueOnly bool
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
		_, _ = fmt.Fprintf(stderr, "gen: %v\n", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.outDir, "out", schemasDir, "directory to write the bundles to")
	fs.BoolVar(&cfg.fluxOnly, "flux-only", false, "write only the Flux and Flux Operator bundles (the Kubernetes modules are large)")
	fs.BoolVar(&cfg.catalogueOnly, "catalogue-only", false, "write only the CRD catalogue (schemas/catalogue)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// generate writes every Kubernetes bundle, the Flux bundle, the Flux
// Operator bundle and the CRD catalogue.
func generate(ctx context.Context, cfg config, stdout io.Writer) error {
	if cfg.catalogueOnly {
		return writeCatalogue(ctx, cfg.outDir, stdout)
	}
	for _, version := range kubernetesVersions {
		if cfg.fluxOnly {
			break
		}
		b, err := kubernetesBundle(ctx, version)
		if err != nil {
			return fmt.Errorf("kubernetes %s: %w", version, err)
		}
		minor := strings.Join(strings.Split(strings.TrimPrefix(version, "v"), ".")[:2], ".")
		name := filepath.Join(cfg.outDir, "kubernetes-"+minor+".json.gz")
		if err := writeBundle(name, b); err != nil {
			return err
		}
		_, _ = fmt.Fprintf(stdout, "wrote %s (%d kinds, %d definitions)\n", name, len(b.Kinds), len(b.Definitions))
	}
	b, err := fluxBundle(ctx)
	if err != nil {
		return fmt.Errorf("flux: %w", err)
	}
	name := filepath.Join(cfg.outDir, "flux.json.gz")
	if err := writeBundle(name, b); err != nil {
		return err
	}
	_, _ = fmt.Fprintf(stdout, "wrote %s (%d releases, %d definitions, %d CRDs)\n",
		name, len(b.Releases), len(b.Definitions), len(b.CRDs))
	if err := writeOperator(ctx, cfg, stdout); err != nil {
		return err
	}
	if err := writeCatalogue(ctx, cfg.outDir, stdout); err != nil {
		return err
	}
	for _, r := range b.Releases {
		var served, unserved []string
		for _, k := range r.Kinds {
			switch {
			case !k.Served:
				unserved = append(unserved, k.Group+"/"+k.Version+" "+k.Kind)
			case k.Deprecated:
				served = append(served, k.Group+"/"+k.Version+" "+k.Kind+" (deprecated)")
			default:
				served = append(served, k.Group+"/"+k.Version+" "+k.Kind)
			}
		}
		_, _ = fmt.Fprintf(stdout, "  Flux %s serves: %s\n", r.Version, strings.Join(served, ", "))
		if len(unserved) > 0 {
			_, _ = fmt.Fprintf(stdout, "  Flux %s does not serve: %s\n", r.Version, strings.Join(unserved, ", "))
		}
	}
	return nil
}

// writeOperator writes the Flux Operator bundle.
func writeOperator(ctx context.Context, cfg config, stdout io.Writer) error {
	b, err := operatorBundle(ctx, fluxOperator)
	if err != nil {
		return fmt.Errorf("flux operator: %w", err)
	}
	name := filepath.Join(cfg.outDir, "flux-operator.json.gz")
	if err := writeBundle(name, b); err != nil {
		return err
	}
	kinds := make([]string, 0, len(b.Kinds))
	for _, k := range b.Kinds {
		kinds = append(kinds, k.Group+"/"+k.Version+" "+k.Kind)
	}
	_, _ = fmt.Fprintf(stdout, "wrote %s (%d CRDs: %s)\n", name, len(b.CRDs), strings.Join(kinds, ", "))
	return nil
}
