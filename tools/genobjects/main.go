// Command genobjects writes the inputs of bench/validate.sh: folders of
// varied Kubernetes and Flux objects (Deployments, Services, ConfigMaps,
// ServiceAccounts, Ingresses, Flux Kustomizations, HelmReleases,
// GitRepositories and HelmRepositories), a Flux repository whose one
// cluster applies them, and a folder of
// kubeconform-style JSON schemas for the kinds it uses, made from the
// schemas fluxlint embeds, so that kubeconform validates the same objects
// against the same schemas without the network.
//
//	go -C tools run ./genobjects -out DIR -n 10000
//
// writes DIR/repo/apps/NNNN/objects.yaml (100 objects a file), the cluster
// DIR/repo/clusters/bench with one Flux Kustomization per folder, and
// DIR/schemas/*.json. The objects are the same on every run.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	out := flag.String("out", "", "folder to write to (required)")
	n := flag.Int("n", 10000, "number of objects")
	kube := flag.String("kubernetes-version", "1.37", "Kubernetes version of the schemas")
	flag.Parse()
	if *out == "" || *n < 1 {
		fmt.Fprintln(os.Stderr, "genobjects: -out is required and -n must be positive")
		os.Exit(2)
	}
	if err := writeRepo(*out, *n); err != nil {
		fmt.Fprintf(os.Stderr, "genobjects: %v\n", err)
		os.Exit(1)
	}
	if err := writeSchemas(*out, *kube); err != nil {
		fmt.Fprintf(os.Stderr, "genobjects: %v\n", err)
		os.Exit(1)
	}
}
