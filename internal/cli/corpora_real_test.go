package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A defect is a real problem of a shared repository that fluxlint must
// report as an error, with the reason it is real.
type defect struct {
	rule, file string
	// line 0 matches any line of the file.
	line int
	why  string
}

// assertErrors checks that the errors of a run are exactly the known
// defects: each error matches one, and each defect is reported.
func assertErrors(t *testing.T, out jsonOut, defects []defect) {
	t.Helper()
	seen := make([]bool, len(defects))
	for _, f := range out.Findings {
		if f.Severity != "error" {
			continue
		}
		i := slices.IndexFunc(defects, func(d defect) bool {
			return d.rule == f.Rule && d.file == f.Position.File && (d.line == 0 || d.line == f.Position.Line)
		})
		if i < 0 {
			t.Errorf("error that is no known defect: %s at %s:%d in %s: %s", f.Rule, f.Position.File, f.Position.Line, f.Cluster, f.Message)
			continue
		}
		seen[i] = true
	}
	for i, d := range defects {
		if !seen[i] {
			t.Errorf("defect not reported: %s at %s:%d (%s)", d.rule, d.file, d.line, d.why)
		}
	}
}

// clusterNames lists the clusters of a run.
func clusterNames(out jsonOut) []string {
	var names []string
	for _, c := range out.Clusters {
		names = append(names, c.Name)
	}
	return names
}

// TestCorpusBuroaHomeLab checks the onedr0p/cluster-template layout: Flux
// Operator installed from a HelmRelease of the flux-instance chart, whose
// values name kubernetes/flux/cluster as the one entry. The app folders
// under kubernetes/apps are parts of that cluster, not clusters.
func TestCorpusBuroaHomeLab(t *testing.T) {
	out, code := checkCorpus(t, "buroa-k8s-gitops")
	if got, want := clusterNames(out), []string{"kubernetes/flux/cluster"}; !slices.Equal(got, want) {
		t.Fatalf("clusters %v, want %v", got, want)
	}
	ks, hrs, objs := out.cluster(t, "kubernetes/flux/cluster")
	// flux-repositories, cluster-apps, and the ks.yaml of every app.
	if ks < 70 || hrs < 55 || objs < 400 {
		t.Errorf("%d Kustomizations, %d HelmReleases, %d objects; want >= 70, 55, 400", ks, hrs, objs)
	}
	assertErrors(t, out, nil)
	if code != ExitOK {
		t.Errorf("exit %d, want 0", code)
	}
	for _, f := range out.Findings {
		if f.Rule == "flux-duplicate-object" || f.Rule == "ref-dependency-missing" {
			t.Errorf("false %s: %s", f.Rule, f.Message)
		}
	}
	// The CRD catalogue validates the 32 kinds of cert-manager, Cilium,
	// external-secrets, Envoy Gateway, Gateway API, Grafana Operator,
	// kopiur, multus, prometheus-operator, silence-operator, Talos and
	// tuppr that the repository uses without their CRDs (installed from
	// uncached charts, or by Talos itself), with no error: kopiur's
	// ClusterRepository, Restore, SnapshotPolicy and SnapshotSchedule with
	// the CRDs of 0.10.3, the chart release the repository installs, and
	// Talos's ServiceAccount with the CRD that Talos applies. No kind is
	// left without a schema.
	var unknown []string
	for _, f := range out.Findings {
		if f.Rule == "schema-kind-unknown" {
			unknown = append(unknown, f.Object.APIVersion+" "+f.Object.Kind)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		t.Errorf("kinds without a schema: %v, want none", unknown)
	}
}

// TestCorpusD2Fleet checks the Flux Operator reference fleet: every
// cluster is entered by a FluxInstance whose sync is an OCIRepository of
// this repository, and its tenants are ResourceSets. Offline and without
// the tenant repositories, it has no error.
func TestCorpusD2Fleet(t *testing.T) {
	out, code := checkCorpus(t, "d2-fleet")
	if got, want := clusterNames(out), []string{"prod-eu", "prod-us", "staging", "update"}; !slices.Equal(got, want) {
		t.Fatalf("clusters %v, want %v", got, want)
	}
	assertErrors(t, out, nil)
	if code != ExitOK {
		t.Errorf("exit %d, want 0", code)
	}
	// The tenants Kustomization reads the FluxInstance's OCIRepository,
	// which is this repository, and the ResourceSets' Kustomizations are
	// reached: their sources, other repositories, are reported once each.
	for _, name := range []string{"prod-eu", "prod-us", "staging"} {
		ks, hrs, objs := out.cluster(t, name)
		if ks != 1 || hrs != 1 || objs < 40 {
			t.Errorf("%s: %d Kustomizations, %d HelmReleases, %d objects; want 1, 1, >= 40", name, ks, hrs, objs)
		}
	}
	if !out.has("flux-source-unavailable", "tenants/infra.yaml", 98) {
		t.Error("the infra-controllers Kustomization that ResourceSet infra generates was not reached at its template")
	}
}

// TestCorpusD2FleetWithTenants checks the D2 fleet together with its
// tenant repositories, mapped by their OCI and Git URLs in a configuration
// given on the command line.
func TestCorpusD2FleetWithTenants(t *testing.T) {
	abs, err := filepath.Abs(corpora)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(abs, "d2-infra")); err != nil {
		t.Skip("corpora not available")
	}
	cfg := filepath.Join(t.TempDir(), "d2.yaml")
	config := "sources:\n" +
		"  oci://ghcr.io/controlplaneio-fluxcd/d2-infra: " + filepath.Join(abs, "d2-infra", "components") + "\n" +
		"  oci://ghcr.io/controlplaneio-fluxcd/d2-apps: " + filepath.Join(abs, "d2-apps", "components") + "\n" +
		"  https://github.com/controlplaneio-fluxcd/d2-infra.git: " + filepath.Join(abs, "d2-infra") + "\n" +
		"  https://github.com/controlplaneio-fluxcd/d2-apps.git: " + filepath.Join(abs, "d2-apps") + "\n"
	if err := os.WriteFile(cfg, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _ := checkCorpus(t, "d2-fleet", "--config", cfg)
	for _, name := range []string{"prod-eu", "prod-us", "staging"} {
		// tenants, and per tenant the Kustomizations its ResourceSet makes:
		// infra-controllers and infra-configs of cert-manager and
		// monitoring, apps of frontend and backend.
		if ks, _, _ := out.cluster(t, name); ks != 7 {
			t.Errorf("%s: %d Kustomizations, want 7", name, ks)
		}
	}
	if ks, _, _ := out.cluster(t, "update"); ks != 2 {
		t.Errorf("update: %d Kustomizations, want 2 (update-policies of apps and infra)", ks)
	}
	assertErrors(t, out, []defect{{
		rule: "render-unresolved-variable", file: "tenants/infra.yaml", line: 122,
		why: "d2-infra's Grafana dashboards (monitoring/configs/base/dashboards/*.json) contain ${DS_PROMETHEUS}, " +
			"which the infra-configs Kustomization's substituteFrom (flux-runtime-info) does not define: " +
			"kustomize-controller 1.9 (Flux 2.9, what distribution 2.x installs) substitutes strictly by default and fails the Kustomization",
	}})
}

// TestCorpusTenantRepositories checks that a tenant repository of the D2
// architecture, which has no cluster of its own, is checked as a fleet
// would build it, overlay by overlay, and that the run says so: not passed
// as clean with "0 clusters". Its overlays' bases are parts of them, not
// overlays of their own; what the fleet makes is unknown, so no reference
// finding appears, and no error.
func TestCorpusTenantRepositories(t *testing.T) {
	overlays := map[string][]string{
		"d2-apps": {"components/backend/production", "components/backend/staging", "components/frontend/production",
			"components/frontend/staging", "update-policies"},
		"d2-infra": {"components/cert-manager/configs/production", "components/cert-manager/configs/staging",
			"components/cert-manager/controllers/production", "components/cert-manager/controllers/staging",
			"components/monitoring/configs/production", "components/monitoring/configs/staging",
			"components/monitoring/controllers/production", "components/monitoring/controllers/staging", "update-policies"},
	}
	for name, want := range overlays {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(corpora, name)
			if _, err := os.Stat(dir); err != nil {
				t.Skip("corpus not available")
			}
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), []string{"check", dir, "--offline", "-o", "json"}, &stdout, &stderr)
			if code != ExitOK {
				t.Errorf("exit %d, want %d: %s", code, ExitOK, stderr.String())
			}
			msg := stderr.String()
			for _, w := range []string{"no Flux cluster found", fmt.Sprintf("checked its %d kustomize overlays", len(want)), "--cluster NAME=PATH"} {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q: %s", w, msg)
				}
			}
			if strings.Count(strings.TrimSpace(msg), "\n") != 0 {
				t.Errorf("want a one-line message, got %q", msg)
			}
			var rep struct {
				Clusters []struct {
					Name string `json:"name"`
				} `json:"clusters"`
				Findings []struct {
					Rule    string `json:"rule"`
					Cluster string `json:"cluster"`
				} `json:"findings"`
			}
			if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range rep.Clusters {
				got = append(got, c.Name)
			}
			if !slices.Equal(got, want) {
				t.Errorf("checked %v, want the overlays %v", got, want)
			}
			clusters := map[string]bool{}
			for _, f := range rep.Findings {
				if f.Rule != "helm-chart-unavailable" {
					t.Errorf("unexpected finding %s in %s", f.Rule, f.Cluster)
				}
				clusters[f.Cluster] = true
			}
			for c := range clusters {
				if !slices.Contains(want, c) {
					t.Errorf("finding in %s, which is not one of the overlays %v", c, want)
				}
			}
		})
	}
}

// TestCorporaErrorsAreRealDefects names every error fluxlint reports on
// the other shared repositories, with why each is real. gitops-fluxcd-demo
// and flux2-multi-tenancy name no Flux release, and their Flux apiVersions
// are all served by an older release than the newest (Flux 2.6, 2.7),
// which is assumed: the apiVersions that later releases remove are
// deprecation warnings there, not errors.
func TestCorporaErrorsAreRealDefects(t *testing.T) {
	demo := []defect{
		{"render-kustomize-build", "fluxcd/clusters/base/flux-system/gotk-sync.yaml", 23, "path ./ makes Flux build the whole repository, chart templates included"},
		{"yaml-not-object", "helmcharts/whoami/Chart.yaml", 1, "read as a manifest under path ./"},
		{"yaml-not-object", "helmcharts/whoami/values.yaml", 1, "read as a manifest under path ./"},
		{"yaml-not-object", "helmcharts/whoami/templates/deployment.yaml", 0, "a Go template read as a manifest under path ./"},
		{"yaml-not-object", "helmcharts/whoami/templates/ingressroute.yaml", 0, "a Go template read as a manifest under path ./"},
		{"policy-secret-registry-credentials", "fluxcd/infrastructure/base/secrets/kustomization.yaml", 9, "registry credentials committed in plain text (at the files entry that names the key)"},
		{"policy-secret-private-key", "fluxcd/infrastructure/base/traefik/custom/kustomization.yaml", 11, "a TLS private key committed in plain text (at the files entry that names the key)"},
	}
	tests := []struct {
		corpus   string
		clusters []string
		defects  []defect
	}{
		{corpus: "gitops-fluxcd-demo", clusters: []string{"fluxcd/clusters/base", "fluxcd/clusters/localhost"}, defects: demo},
		{corpus: "flux2-kustomize-helm-example", clusters: []string{"production", "staging"}},
		{corpus: "flux2-multi-tenancy", clusters: []string{"production", "staging"}},
	}
	for _, tt := range tests {
		t.Run(tt.corpus, func(t *testing.T) {
			out, _ := checkCorpus(t, tt.corpus)
			if got := clusterNames(out); !slices.Equal(got, tt.clusters) {
				t.Errorf("clusters %v, want %v", got, tt.clusters)
			}
			assertErrors(t, out, tt.defects)
		})
	}
}
