package operator

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// corpora is where the shared, real Flux repositories live, relative to this
// package.
const corpora = "../../../shared/corpora"

// readCorpus reads a corpus file, skipping the test when corpora are absent.
func readCorpus(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpora, path))
	if os.IsNotExist(err) {
		t.Skipf("corpus file %s is absent", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// staging are d2-fleet's staging runtime variables, for ${VAR} substitution.
var staging = strings.NewReplacer(
	"${ARTIFACT_TAG}", "latest",
	"${ENVIRONMENT}", "staging",
	"${ARTIFACT_SUBJECT_WORKFLOW}", "push-artifact",
	"${ARTIFACT_SUBJECT_GIT_REF}", "refs/heads/main",
)

func TestD2FleetResourceSets(t *testing.T) {
	perTenant := func(tenants []string, names ...string) []string {
		var out []string
		for _, n := range names {
			for _, tenant := range tenants {
				out = append(out, strings.ReplaceAll(n, "TENANT", tenant))
			}
		}
		return out
	}
	tests := []struct {
		name       string
		file       string
		substitute bool
		want       []string
	}{
		{
			name: "apps", file: "tenants/apps.yaml",
			want: perTenant([]string{"frontend", "backend"}, "Namespace//TENANT", "ConfigMap/TENANT/flux-runtime-info",
				"Secret/TENANT/ghcr-auth", "ServiceAccount/TENANT/flux", "RoleBinding/TENANT/flux",
				"OCIRepository/TENANT/apps", "Kustomization/TENANT/apps"),
		},
		{
			name: "apps after substitution", file: "tenants/apps.yaml", substitute: true,
			want: perTenant([]string{"frontend", "backend"}, "Namespace//TENANT", "ConfigMap/TENANT/flux-runtime-info",
				"Secret/TENANT/ghcr-auth", "ServiceAccount/TENANT/flux", "RoleBinding/TENANT/flux",
				"OCIRepository/TENANT/apps", "Kustomization/TENANT/apps"),
		},
		{
			name: "infra", file: "tenants/infra.yaml", substitute: true,
			want: perTenant([]string{"cert-manager", "monitoring"}, "Namespace//TENANT", "ConfigMap/TENANT/flux-runtime-info",
				"Secret/TENANT/ghcr-auth", "ServiceAccount/TENANT/flux", "ClusterRoleBinding//flux-infra-TENANT",
				"OCIRepository/TENANT/infra", "Kustomization/TENANT/infra-controllers", "Kustomization/TENANT/infra-configs"),
		},
		{
			name: "policies", file: "tenants/policies.yaml",
			want: []string{"ConfigMap/flux-system/flux-allowlist", "ValidatingAdmissionPolicy//source.policy.fluxcd.controlplane.io",
				"ValidatingAdmissionPolicyBinding//flux-tenant-sources"},
		},
		{
			name: "image update automation", file: "clusters/update/automation.yaml",
			want: perTenant([]string{"apps", "infra"}, "Namespace//TENANT", "ConfigMap/TENANT/flux-runtime-info",
				"Secret/TENANT/github-auth", "ServiceAccount/TENANT/flux", "RoleBinding/TENANT/flux",
				"GitRepository/TENANT/TENANT", "Kustomization/TENANT/TENANT", "ImageUpdateAutomation/TENANT/TENANT"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := readCorpus(t, filepath.Join("d2-fleet", tt.file))
			if tt.substitute {
				data = []byte(staging.Replace(string(data)))
			}
			exp := ExpandResourceSet(context.Background(), decodeDocs(t, data)[0], nil)
			if len(exp.Errors) > 0 || exp.Partial {
				t.Fatalf("errors %v, partial %v", exp.Errors, exp.Partial)
			}
			var got []string
			for _, g := range exp.Objects {
				got = append(got, describeAll(g.Object))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("objects\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestD2FleetTemplatedValues(t *testing.T) {
	data := staging.Replace(string(readCorpus(t, "d2-fleet/tenants/apps.yaml")))
	exp := ExpandResourceSet(context.Background(), decodeDocs(t, []byte(data))[0], nil)
	if len(exp.Objects) != 14 {
		t.Fatalf("got %d objects, errors %v", len(exp.Objects), exp.Errors)
	}
	repo := exp.Objects[10] // OCIRepository frontend/apps
	checks := []struct {
		name string
		path []string
		want string
	}{
		{name: "url", path: []string{"spec", "url"}, want: "oci://ghcr.io/controlplaneio-fluxcd/d2-apps/frontend"},
		{name: "tag", path: []string{"spec", "ref", "tag"}, want: "latest"},
		{name: "owner label", path: []string{"metadata", "labels", ownerLabelName}, want: "apps"},
	}
	for _, c := range checks {
		if got := str(repo.Object, c.path...); got != c.want {
			t.Errorf("%s = %q, want %q", c.name, got, c.want)
		}
	}
	subject := field(repo.Object, "spec", "verify", "matchOIDCIdentity")
	if !strings.Contains(toYaml(subject), `workflows/push-artifact\.yaml@refs/heads/main$`) {
		t.Errorf("verify subject not templated: %s", toYaml(subject))
	}
	if path, exact := repo.TemplatePath([]any{"spec", "ref", "tag"}); formatPath(path) != "spec.resources[5].spec.ref.tag" || !exact {
		t.Errorf("TemplatePath = %s, %v", formatPath(path), exact)
	}
}

// describeAll names an object kind/namespace/name, with an empty namespace
// for cluster-scoped ones.
func describeAll(obj map[string]any) string {
	return str(obj, "kind") + "/" + str(obj, "metadata", "namespace") + "/" + str(obj, "metadata", "name")
}
