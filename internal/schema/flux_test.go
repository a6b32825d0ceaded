package schema

import (
	"slices"
	"strings"
	"testing"
)

func TestFluxVersionsComeFromTheBundle(t *testing.T) {
	got := FluxVersions()
	if len(got) < 5 || got[0] != "2.0" || got[len(got)-1] != "2.9" {
		t.Fatalf("FluxVersions() = %v, want 2.0 first, 2.9 last and at least 5 releases", got)
	}
	if !slices.IsSortedFunc(got, func(a, b string) int {
		if versionLess(a, b) {
			return -1
		}
		if versionLess(b, a) {
			return 1
		}
		return 0
	}) {
		t.Errorf("FluxVersions() = %v, want oldest first", got)
	}
}

func TestResolveFluxVersion(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{in: "", want: "2.9"},
		{in: "2.4", want: "2.4"},
		{in: "v2.4", want: "2.4"},
		{in: "v2.4.0", want: "2.4"},
		{in: "2.4.3", want: "2.4"},
		{in: "2.4.x", want: "2.4"},
		{in: "2.1", err: true}, // not embedded
		{in: "2", err: true},
		{in: "2.4.y", err: true},
		{in: "2.4.0.1", err: true},
		{in: "latest", err: true},
	}
	for _, tt := range tests {
		got, err := ResolveFluxVersion(tt.in)
		if tt.err {
			if err == nil || !strings.Contains(err.Error(), "2.0, ") {
				t.Errorf("ResolveFluxVersion(%q) = %q, %v; want an error listing the releases", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ResolveFluxVersion(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func fluxValidator(t *testing.T, flux string) *Validator {
	t.Helper()
	v, err := NewWithOptions(Options{FluxVersion: flux})
	if err != nil {
		t.Fatalf("NewWithOptions(flux %q): %v", flux, err)
	}
	return v
}

const kustomizationV1beta2 = `
apiVersion: kustomize.toolkit.fluxcd.io/v1beta2
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

const helmReleaseV2beta1 = `
apiVersion: helm.toolkit.fluxcd.io/v2beta1
kind: HelmRelease
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      sourceRef:
        kind: HelmRepository
        name: podinfo
`

// TestFluxHistory checks, against the embedded releases, when Flux stopped
// serving two apiVersions: v2beta1 HelmRelease (served up to 2.6) and
// v1beta2 Kustomization (served up to 2.7, not by 2.9).
func TestFluxHistory(t *testing.T) {
	tests := []struct {
		flux, doc  string
		status     Status
		served     []string // with UnservedVersion
		deprecated string   // part of the warning, with Valid
		replace    string
	}{
		{flux: "2.9", doc: kustomizationV1beta2, status: UnservedVersion, served: []string{"kustomize.toolkit.fluxcd.io/v1"}},
		{flux: "2.7", doc: kustomizationV1beta2, status: Valid,
			deprecated: "v1beta2 Kustomization is deprecated, upgrade to v1; Flux 2.9 and later do not serve it",
			replace:    "kustomize.toolkit.fluxcd.io/v1"},
		{flux: "2.0", doc: kustomizationV1beta2, status: Valid,
			deprecated: "Flux 2.9 and later do not serve it", replace: "kustomize.toolkit.fluxcd.io/v1"},
		{flux: "2.9", doc: helmReleaseV2beta1, status: UnservedVersion, served: []string{"helm.toolkit.fluxcd.io/v2"}},
		{flux: "2.7", doc: helmReleaseV2beta1, status: UnservedVersion,
			served: []string{"helm.toolkit.fluxcd.io/v2beta2", "helm.toolkit.fluxcd.io/v2"}},
		{flux: "2.6", doc: helmReleaseV2beta1, status: Valid,
			deprecated: "v2beta1 HelmRelease is deprecated, upgrade to v2; Flux 2.7 and later do not serve it",
			replace:    "helm.toolkit.fluxcd.io/v2"},
		// Flux 2.0 did not deprecate v2beta1, the only HelmRelease it had.
		{flux: "2.0", doc: helmReleaseV2beta1, status: Valid,
			deprecated: "helm.toolkit.fluxcd.io/v2beta1 HelmRelease is not served by Flux 2.7 and later; use helm.toolkit.fluxcd.io/v2",
			replace:    "helm.toolkit.fluxcd.io/v2"},
	}
	for _, tt := range tests {
		v := fluxValidator(t, tt.flux)
		obj := decode(t, tt.doc)
		res := v.Validate(obj)
		name := tt.flux + " " + obj["apiVersion"].(string)
		if res.Status != tt.status {
			t.Errorf("%s: status %v, want %v (%+v)", name, res.Status, tt.status, res)
			continue
		}
		if tt.status == UnservedVersion && !slices.Equal(res.Served, tt.served) {
			t.Errorf("%s: served %v, want %v", name, res.Served, tt.served)
		}
		if tt.status == Valid {
			if len(res.Violations) > 0 {
				t.Errorf("%s: violations %s", name, formatViolations(res.Violations))
			}
			if !strings.Contains(res.Deprecated, tt.deprecated) || res.Replacement != tt.replace {
				t.Errorf("%s: deprecated %q, replacement %q; want %q and %q", name, res.Deprecated, res.Replacement, tt.deprecated, tt.replace)
			}
		}
	}
}

// TestFluxReleaseSchemasDiffer checks that a release validates against its
// own schemas: HelmRelease spec.chartRef came in Flux 2.3 (helm-controller
// v1.0), so Flux 2.2 does not know it and Flux 2.3 does.
func TestFluxReleaseSchemasDiffer(t *testing.T) {
	const doc = `
apiVersion: helm.toolkit.fluxcd.io/v2beta2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 10m
  chartRef:
    kind: OCIRepository
    name: podinfo
`
	if res := fluxValidator(t, "2.2").Validate(decode(t, doc)); res.Status != Invalid {
		t.Errorf("Flux 2.2: status %v, want spec.chartRef unknown: %+v", res.Status, res)
	}
	if res := fluxValidator(t, "2.3").Validate(decode(t, doc)); len(res.Violations) > 0 {
		t.Errorf("Flux 2.3: violations %s", formatViolations(res.Violations))
	}
}

// TestEveryFluxReleaseCompiles compiles the schema of every kind of every
// embedded Flux release, and its CRDs with their CEL rules.
func TestEveryFluxReleaseCompiles(t *testing.T) {
	for _, flux := range FluxVersions() {
		v := fluxValidator(t, flux)
		if v.FluxVersion() != flux {
			t.Errorf("FluxVersion() = %q, want %q", v.FluxVersion(), flux)
		}
		if err := v.compileAll(); err != nil {
			t.Errorf("Flux %s: %v", flux, err)
		}
		if len(v.fluxCRDs) < 10 {
			t.Errorf("Flux %s: %d CRDs, want at least 10", flux, len(v.fluxCRDs))
		}
		for gk, e := range v.fluxCRDs {
			if _, err := e.compiled(v); err != nil {
				t.Errorf("Flux %s: CRD %s %s: %v", flux, gk.group, gk.kind, err)
			}
		}
	}
}
