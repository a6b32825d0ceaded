package schema

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

const fluxInstance = `
apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata: {name: flux, namespace: flux-system}
spec:
  distribution:
    version: "2.x"
    registry: ghcr.io/fluxcd
  components: [source-controller, kustomize-controller, helm-controller, notification-controller]
  cluster: {type: kubernetes, multitenant: false, networkPolicy: true, domain: cluster.local}
  sync:
    kind: GitRepository
    url: https://github.com/example/fleet.git
    ref: refs/heads/main
    path: clusters/production
`

func TestFluxOperatorKinds(t *testing.T) {
	v := validator(t, "1.37")
	tests := []struct {
		name string
		obj  string
		want string
	}{
		{name: "FluxInstance", obj: fluxInstance},
		{name: "FluxInstance with a misspelt field", obj: strings.Replace(fluxInstance, "  components:", "  component:", 1),
			want: `spec/component [schema-unknown-field] unknown field "component"`},
		{name: "FluxInstance without distribution", obj: `
apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata: {name: flux, namespace: flux-system}
spec: {}
`, want: `spec [schema-required] missing required field "distribution"`},
		{name: "FluxInstance not named flux (CEL)", obj: strings.Replace(fluxInstance, "name: flux,", "name: main,", 1),
			want: ` [schema-cel] the only accepted name for a FluxInstance is 'flux'`},
		{name: "ResourceSet", obj: `
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: {name: apps, namespace: flux-system}
spec:
  inputs:
    - tenant: team1
  resources:
    - apiVersion: v1
      kind: Namespace
      metadata:
        name: << inputs.tenant >>
`},
		{name: "ResourceSetInputProvider with a URL it cannot have (CEL)", obj: `
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSetInputProvider
metadata: {name: tenants, namespace: flux-system}
spec:
  type: Static
  url: https://github.com/example/fleet
`, want: `spec [schema-cel] spec.url must be empty when spec.type is 'Static'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := v.ValidateIn(context.Background(), decode(t, tt.obj), nil, ValidateOptions{})
			if res.Status == NoSchema || res.Status == UnservedVersion {
				t.Fatalf("status %v, want the kind validated", res.Status)
			}
			got := strings.TrimPrefix(formatViolations(res.Violations), "\n  ")
			if got != tt.want {
				t.Errorf("violations\n  %s\nwant\n  %s", got, tt.want)
			}
		})
	}
}

// TestFluxOperatorNotificationPatch validates an Alert and a Receiver
// naming a Flux Operator kind at every version each embedded Flux release
// serves: an error unless the cluster's Flux is installed by Flux Operator.
func TestFluxOperatorNotificationPatch(t *testing.T) {
	for _, flux := range FluxVersions() {
		v := fluxValidator(t, flux)
		for _, apiVersion := range v.catalog.kindVersion[gvk{group: notificationGroup, kind: "Alert"}] {
			alert := fmt.Sprintf(`
apiVersion: %s
kind: Alert
metadata: {name: flux, namespace: flux-system}
spec:
  providerRef: {name: slack}
  eventSources: [{kind: %%s, name: flux}]
`, apiVersion)
			checkOperatorPatch(t, v, flux, alert, "spec/eventSources/0/kind")
		}
		for _, apiVersion := range v.catalog.kindVersion[gvk{group: notificationGroup, kind: "Receiver"}] {
			receiver := fmt.Sprintf(`
apiVersion: %s
kind: Receiver
metadata: {name: github, namespace: flux-system}
spec:
  type: github
  secretRef: {name: token}
  resources: [{kind: %%s, name: flux}]
`, apiVersion)
			checkOperatorPatch(t, v, flux, receiver, "spec/resources/0/kind")
		}
	}
}

// checkOperatorPatch validates doc, with %s replaced by a kind, with and
// without Flux Operator.
func checkOperatorPatch(t *testing.T, v *Validator, flux, doc, path string) {
	t.Helper()
	for _, tt := range []struct {
		kind     string
		operator bool
		invalid  bool
	}{
		{kind: "GitRepository", operator: false},
		{kind: "GitRepository", operator: true},
		{kind: "FluxInstance", operator: false, invalid: true},
		{kind: "FluxInstance", operator: true},
		{kind: "ResourceSet", operator: true},
		{kind: "ResourceSetInputProvider", operator: true},
		{kind: "Deployment", operator: true, invalid: true},
	} {
		obj := decode(t, fmt.Sprintf(doc, tt.kind))
		res := v.ValidateIn(context.Background(), obj, nil, ValidateOptions{FluxOperator: tt.operator})
		got := formatViolations(res.Violations)
		want := ""
		if tt.invalid {
			want = "\n  " + path + " [schema-invalid]"
		}
		if !strings.HasPrefix(got, want) || (!tt.invalid && got != "") || strings.Count(got, "\n") != strings.Count(want, "\n") {
			t.Errorf("Flux %s, %s %s, kind %s, operator %v: violations%s\nwant%s...",
				flux, obj["apiVersion"], obj["kind"], tt.kind, tt.operator, got, want)
		}
	}
}

func TestFluxOperatorPatchLeavesTheBundleAlone(t *testing.T) {
	v := validator(t, "1.37")
	if len(v.operatorDefs) != 2 {
		t.Errorf("patched definitions %v, want the Alert and the Receiver of Flux 2.9", v.operatorDefs)
	}
	flux, err := loadBundle("flux.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	for k, def := range v.operatorDefs {
		original := strings.TrimSuffix(def, "+flux-operator")
		def, err := decodeDefinition(flux.Definitions[original])
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(fmt.Sprint(def), "FluxInstance") {
			t.Errorf("%s %s: the shared definition %s was modified", k.apiVersion(), k.kind, original)
		}
	}
}

func TestFluxOperatorVersion(t *testing.T) {
	if got := FluxOperatorVersion(); !strings.HasPrefix(got, "v0.") {
		t.Errorf("FluxOperatorVersion() = %q, want a v0 release", got)
	}
	want := []string{"fluxcd.controlplane.io/v1 FluxInstance", "fluxcd.controlplane.io/v1 FluxReport",
		"fluxcd.controlplane.io/v1 ResourceSet", "fluxcd.controlplane.io/v1 ResourceSetInputProvider"}
	if got := FluxOperatorKinds(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("FluxOperatorKinds() = %v, want %v", got, want)
	}
	if v := validator(t, "1.37"); v.IsFluxGroup(FluxOperatorGroup) {
		t.Error("IsFluxGroup(fluxcd.controlplane.io) = true, want false: the operator is not a Flux release")
	}
}
