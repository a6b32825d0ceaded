package operator

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/cache"
)

// instance builds a FluxInstance in flux-system with the given spec.
func instance(t *testing.T, spec string) map[string]any {
	t.Helper()
	return decodeDocs(t, []byte("apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\n"+
		"metadata: {name: flux, namespace: flux-system}\nspec:\n"+spec))[0]
}

// dumpObjects prints objects for golden comparison.
func dumpObjects(objects []map[string]any) string {
	var sb strings.Builder
	for _, o := range objects {
		sb.WriteString("---\n" + toYaml(o))
	}
	return sb.String()
}

func TestFluxInstanceSyncGolden(t *testing.T) {
	tests := []struct {
		name        string
		spec        string
		fluxVersion string
	}{
		{
			name: "git-defaults",
			spec: `
  distribution: {version: "2.x", registry: ghcr.io/fluxcd}
  sync: {kind: GitRepository, url: "https://github.com/org/fleet.git", ref: refs/heads/main, path: ./clusters/prod}`,
		},
		{
			name:        "oci-before-2.6",
			fluxVersion: "v2.5.1",
			spec: `
  distribution: {version: "2.5.x", registry: ghcr.io/fluxcd}
  sync:
    name: fleet
    kind: OCIRepository
    url: oci://ghcr.io/org/fleet
    ref: "1.0"
    path: clusters/prod
    interval: 90s
    pullSecret: regcred
    provider: aws`,
		},
		{
			name: "bucket-with-patches",
			spec: `
  distribution: {version: ">=2.6.0 <2.8.0", registry: ghcr.io/fluxcd}
  sync: {kind: Bucket, url: minio.example.com, ref: fleet, path: ./prod, interval: 1h}
  kustomize:
    patches:
      - target: {kind: Kustomization}
        patch: |
          - op: add
            path: /spec/wait
            value: true
      - target: {kind: Deployment, name: kustomize-controller}
        patch: |
          - op: add
            path: /spec/replicas
            value: 2
      - patch: |
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: helm-controller, namespace: flux-system}
          spec: {replicas: 2}
          ---
          apiVersion: source.toolkit.fluxcd.io/v1
          kind: Bucket
          metadata: {name: flux-system, namespace: flux-system}
          spec: {insecure: true}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objects, err := FluxInstanceSync(instance(t, tt.spec), tt.fluxVersion, cache.Bucket{})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "fluxinstance", tt.name+".golden.yaml"), dumpObjects(objects))
		})
	}
}

func TestFluxInstanceSyncErrors(t *testing.T) {
	tests := []struct {
		name string
		spec string
		want string
	}{
		{name: "unknown kind", spec: "  sync: {kind: HelmRepository, url: u, ref: r, path: p}", want: `spec.sync.kind "HelmRepository" is not one of`},
		{name: "missing path", spec: "  sync: {kind: GitRepository, url: u, ref: r}", want: "spec.sync.path is required"},
		{name: "bad interval", spec: "  sync: {kind: GitRepository, url: u, ref: r, path: p, interval: 5 minutes}", want: "spec.sync.interval"},
		{
			name: "JSON patch without target",
			spec: `
  sync: {kind: GitRepository, url: u, ref: r, path: p}
  kustomize: {patches: [{patch: "- {op: add, path: /spec/x, value: 1}"}]}`,
			want: "build the sync objects",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FluxInstanceSync(instance(t, tt.spec), "", cache.Bucket{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestFluxInstanceWithoutSync(t *testing.T) {
	objects, err := FluxInstanceSync(instance(t, "  distribution: {version: 2.x}"), "", cache.Bucket{})
	if err != nil || len(objects) != 0 {
		t.Errorf("got %d objects, error %v; want none", len(objects), err)
	}
}

func TestDistributionVersion(t *testing.T) {
	tests := []struct {
		name    string
		version string
		want    string
	}{
		{name: "newest major", version: "2.x", want: ""},
		{name: "any", version: "*", want: ""},
		{name: "empty", version: "", want: ""},
		{name: "open range", version: ">=2.4.0", want: ""},
		{name: "minor wildcard", version: "2.6.x", want: "2.6"},
		{name: "exact", version: "2.5.0", want: "2.5"},
		{name: "exact with v", version: "v2.5.0", want: "2.5"},
		{name: "bounded range", version: ">=2.4.0 <2.6.0", want: "2.5"},
		{name: "tilde", version: "~2.3.0", want: "2.3"},
		{name: "caret below 3", version: "^2.4", want: ""},
		{name: "alternatives", version: "2.3.x || 2.7.x", want: "2.7"},
		{name: "pre-release", version: "2.7.0-rc.1", want: "2.7"},
		{name: "not a version", version: "latest", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fi := map[string]any{"spec": map[string]any{"distribution": map[string]any{"version": tt.version}}}
			if got := DistributionVersion(fi); got != tt.want {
				t.Errorf("DistributionVersion(%q) = %q, want %q", tt.version, got, tt.want)
			}
		})
	}
}

func TestD2FleetFluxInstance(t *testing.T) {
	fi := decodeDocs(t, readCorpus(t, "d2-fleet/clusters/staging/flux-system/flux-instance.yaml"))[0]
	objects, err := FluxInstanceSync(fi, "", cache.Bucket{})
	if err != nil {
		t.Fatal(err)
	}
	if len(objects) != 2 {
		t.Fatalf("got %d objects", len(objects))
	}
	repo, ks := objects[0], objects[1]
	checks := []struct {
		name string
		obj  map[string]any
		path []string
		want string
	}{
		{name: "source", obj: repo, path: []string{"kind"}, want: "OCIRepository"},
		{name: "source apiVersion", obj: repo, path: []string{"apiVersion"}, want: "source.toolkit.fluxcd.io/v1"},
		{name: "source name", obj: repo, path: []string{"metadata", "name"}, want: "flux-system"},
		{name: "source namespace", obj: repo, path: []string{"metadata", "namespace"}, want: "flux-system"},
		{name: "tag", obj: repo, path: []string{"spec", "ref", "tag"}, want: "latest"},
		{name: "url", obj: repo, path: []string{"spec", "url"}, want: "oci://ghcr.io/controlplaneio-fluxcd/d2-fleet"},
		{name: "secret", obj: repo, path: []string{"spec", "secretRef", "name"}, want: "ghcr-auth"},
		{name: "interval", obj: repo, path: []string{"spec", "interval"}, want: "1m0s"},
		{name: "verify patch", obj: repo, path: []string{"spec", "verify", "provider"}, want: "cosign"},
		{name: "label", obj: repo, path: []string{"metadata", "labels", "app.kubernetes.io/managed-by"}, want: "flux-operator"},
		{name: "kustomization", obj: ks, path: []string{"kind"}, want: "Kustomization"},
		{name: "kustomization name", obj: ks, path: []string{"metadata", "name"}, want: "flux-system"},
		{name: "path", obj: ks, path: []string{"spec", "path"}, want: "clusters/staging"},
		{name: "source ref", obj: ks, path: []string{"spec", "sourceRef", "kind"}, want: "OCIRepository"},
		{name: "kustomization interval", obj: ks, path: []string{"spec", "interval"}, want: "10m0s"},
	}
	for _, c := range checks {
		if got := str(c.obj, c.path...); got != c.want {
			t.Errorf("%s = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestBuroaFluxInstanceChart(t *testing.T) {
	hr := decodeDocs(t, readCorpus(t, "buroa-k8s-gitops/kubernetes/apps/flux-system/flux-instance/app/helmrelease.yaml"))[0]
	fi := FluxInstanceFromChartValues(mapAt(hr, "spec", "values"), "flux-system")
	golden(t, filepath.Join("testdata", "fluxinstance", "buroa-instance.golden.yaml"), toYaml(fi))
	objects, err := FluxInstanceSync(fi, "", cache.Bucket{})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", "fluxinstance", "buroa-sync.golden.yaml"), dumpObjects(objects))
	if len(objects) != 2 || str(objects[0], "kind") != "GitRepository" || str(objects[0], "spec", "ref", "name") != "refs/heads/main" ||
		str(objects[1], "spec", "path") != "./kubernetes/flux/cluster" {
		t.Errorf("unexpected sync objects:\n%s", dumpObjects(objects))
	}
}

func TestFluxInstanceFromChartValues(t *testing.T) {
	values := decodeDocs(t, []byte(`
fullnameOverride: fleet
instance:
  distribution: {version: 2.6.x, variant: enterprise-distroless}
  cluster: {size: medium, domain: null}
  commonMetadata: {labels: {team: ops}}
  storage: {class: standard, size: 10Gi}
  sharding: {shards: [shard1]}
  sync:
    kind: OCIRepository
    url: oci://ghcr.io/org/fleet
    ref: "1.0"
    path: clusters/prod
    pullSecretStringData: {username: u}
`))[0]
	fi := FluxInstanceFromChartValues(values, "flux-system")
	golden(t, filepath.Join("testdata", "fluxinstance", "chart-values.golden.yaml"), toYaml(fi))
}

func TestSyncFieldPath(t *testing.T) {
	objects, err := FluxInstanceSync(instance(t, "  sync: {kind: OCIRepository, url: oci://r/x, ref: latest, path: ./p}"), "", cache.Bucket{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		object int
		field  []any
		want   string
	}{
		{name: "url", object: 0, field: []any{"spec", "url"}, want: "spec.sync.url"},
		{name: "tag", object: 0, field: []any{"spec", "ref", "tag"}, want: "spec.sync.ref"},
		{name: "source interval", object: 0, field: []any{"spec", "interval"}, want: "spec.sync.interval"},
		{name: "name", object: 1, field: []any{"metadata", "name"}, want: "spec.sync.name"},
		{name: "path", object: 1, field: []any{"spec", "path"}, want: "spec.sync.path"},
		{name: "fixed interval", object: 1, field: []any{"spec", "interval"}, want: "spec.sync"},
		{name: "label", object: 0, field: []any{"metadata", "labels", "x"}, want: "spec.sync"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatPath(SyncFieldPath(objects[tt.object], tt.field)); got != tt.want {
				t.Errorf("SyncFieldPath = %s, want %s", got, tt.want)
			}
		})
	}
}
