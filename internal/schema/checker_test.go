package schema

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// testObject parses one YAML document into a rendered object.
func testObject(t *testing.T, file, text string) *model.Object {
	t.Helper()
	f := source.Parse(file, []byte(text))
	if len(f.Docs) != 1 {
		t.Fatalf("%s: %d documents", file, len(f.Docs))
	}
	d := f.Docs[0]
	content := d.Object()
	str := func(k string) string { s, _ := content[k].(string); return s }
	md, _ := content["metadata"].(map[string]any)
	name, _ := md["name"].(string)
	ns, _ := md["namespace"].(string)
	return &model.Object{
		Ref:     finding.ObjectRef{APIVersion: str("apiVersion"), Kind: str("kind"), Namespace: ns, Name: name},
		Content: content, Doc: d, Origin: d.Pos(),
	}
}

const kustomizationV1beta2Doc = `apiVersion: kustomize.toolkit.fluxcd.io/v1beta2
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`

const operatorAlert = `apiVersion: notification.toolkit.fluxcd.io/v1beta3
kind: Alert
metadata:
  name: flux
  namespace: flux-system
spec:
  providerRef:
    name: slack
  eventSources:
    - kind: FluxInstance
      name: flux
`

const fluxInstanceTypo = `apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  distribution:
    version: "2.x"
    registry: ghcr.io/fluxcd
  componentz: [source-controller]
`

// ruleSummary lists the rule of each finding with its line, and the
// message of the version findings.
func ruleSummary(fs []finding.Finding) string {
	var out []string
	for _, f := range fs {
		s := fmt.Sprintf("%s:%d", f.RuleID, f.Pos.Line)
		if f.RuleID == RuleFluxVersion || f.RuleID == RuleKubernetesVersion {
			s += " " + f.Message
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

func TestSchemaCheckPerCluster(t *testing.T) {
	seed, err := NewWithOptions(Options{})
	if err != nil {
		t.Fatal(err)
	}
	validators := newValidatorSet(Options{}, seed)
	tests := []struct {
		name    string
		cluster model.Cluster
		runFlux string // Options.FluxVersion
		doc     string
		want    string
	}{
		{name: "v1beta2 Kustomization on Flux 2.6", cluster: model.Cluster{FluxVersion: "2.6"}, doc: kustomizationV1beta2Doc,
			want: "schema-api-deprecated:1"},
		{name: "v1beta2 Kustomization on the newest Flux", cluster: model.Cluster{Operator: true}, doc: kustomizationV1beta2Doc,
			want: "schema-api-version:1"},
		{name: "v1beta2 Kustomization where no release is named: the newest that serves it", doc: kustomizationV1beta2Doc,
			want: "schema-api-deprecated:1"},
		{name: "the run's Flux release when the cluster has none", runFlux: "2.6", doc: kustomizationV1beta2Doc,
			want: "schema-api-deprecated:1"},
		{name: "the cluster's Flux release before the run's", cluster: model.Cluster{FluxVersion: "v2.9.0"}, runFlux: "2.6",
			doc: kustomizationV1beta2Doc, want: "schema-api-version:1"},
		{name: "Flux 2.8 is validated as 2.7", cluster: model.Cluster{FluxVersion: "2.8"}, doc: kustomizationV1beta2Doc,
			want: "schema-flux-version:0 the cluster runs Flux 2.8, whose schemas are not embedded: it is validated with those of Flux 2.7; schema-api-deprecated:1"},
		{name: "Flux 2.1 is validated as 2.0", cluster: model.Cluster{FluxVersion: "v2.1.2"}, doc: kustomizationV1beta2Doc,
			want: "schema-flux-version:0 the cluster runs Flux v2.1.2, whose schemas are not embedded: it is validated with those of Flux 2.0; schema-api-deprecated:1"},
		{name: "a Flux release newer than the newest", cluster: model.Cluster{FluxVersion: "2.12"}, doc: kustomizationV1beta2Doc,
			want: "schema-flux-version:0 the cluster runs Flux 2.12, whose schemas are not embedded: it is validated with those of Flux 2.9; schema-api-version:1"},
		{name: "a Kubernetes version newer than the newest", cluster: model.Cluster{KubernetesVersion: "1.99"}, doc: kustomizationV1beta2Doc,
			want: "schema-kubernetes-version:0 the cluster runs Kubernetes 1.99, whose schemas are not embedded: it is validated with those of Kubernetes 1.37; schema-api-deprecated:1"},
		{name: "an Alert on a FluxInstance without Flux Operator", cluster: model.Cluster{Via: model.ViaBootstrap}, doc: operatorAlert,
			want: "schema-invalid:10"},
		{name: "an Alert on a FluxInstance where gotk-components.yaml installs Flux", cluster: model.Cluster{FilesRead: []string{"clusters/prod/flux-system/gotk-components.yaml"}},
			doc: operatorAlert, want: "schema-invalid:10"},
		{name: "an Alert on a FluxInstance where the repository does not install Flux", doc: operatorAlert},
		{name: "an Alert on a FluxInstance with Flux Operator", cluster: model.Cluster{Operator: true}, doc: operatorAlert},
		{name: "a FluxInstance with a misspelt field", cluster: model.Cluster{Operator: true}, doc: fluxInstanceTypo,
			want: "schema-unknown-field:10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cluster
			c.Name, c.Path = "prod", "clusters/prod"
			c.Objects = []*model.Object{testObject(t, "clusters/prod/doc.yaml", tt.doc)}
			check := newChecker(validators, "", tt.runFlux, nil)
			got := ruleSummary(check.Check(context.Background(), &c))
			if got != tt.want {
				t.Errorf("findings\n  %s\nwant\n  %s", got, tt.want)
			}
		})
	}
}

func TestValidatorSetSharesValidators(t *testing.T) {
	seed, err := NewWithOptions(Options{})
	if err != nil {
		t.Fatal(err)
	}
	validators := newValidatorSet(Options{}, seed)
	check := newChecker(validators, "", "", nil)
	versions := []model.Cluster{{}, {FluxVersion: "2.9"}, {FluxVersion: "v2.9.3", KubernetesVersion: "1.37"},
		{FluxVersion: "2.6"}, {FluxVersion: "2.6.x", Operator: true}}
	for i := range versions {
		versions[i].Name = fmt.Sprint("c", i)
		check.Check(context.Background(), &versions[i])
	}
	if n := len(validators.made); n != 2 {
		t.Errorf("%d validators made, want 2 (Flux 2.9 and 2.6)", n)
	}
	v, err := validators.get(validatorKey{kube: Versions()[len(Versions())-1], flux: "2.9"})
	if err != nil || v != seed {
		t.Errorf("the newest versions' validator is %p (%v), want the seed %p", v, err, seed)
	}
}
