package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpora is where the shared, real Flux repositories live, relative to this
// package.
const corpora = "../../../shared/corpora"

type jsonOut struct {
	Summary struct {
		Clusters, Kustomizations, Objects, Errors, Warnings int
	}
	Clusters []struct {
		Name           string
		Path           string
		Kustomizations int
		HelmReleases   int
		Rendered       int `json:"helmReleasesRendered"`
		Objects        int
	}
	Findings []struct {
		Rule     string
		Severity string
		Message  string
		Cluster  string
		Position struct {
			File   string
			Line   int
			Column int
		}
		Object struct {
			APIVersion string
			Kind       string
		}
	}
}

// checkCorpus runs fluxlint check --format json on one shared repository.
func checkCorpus(t *testing.T, name string, args ...string) (jsonOut, int) {
	t.Helper()
	dir := filepath.Join(corpora, name)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus %s not available: %v", name, err)
	}
	out, _, code := checkDir(t, dir, args...)
	return out, code
}

// checkDir runs fluxlint check --format json on a folder, and returns the
// output decoded and as printed.
func checkDir(t *testing.T, dir string, args ...string) (jsonOut, []byte, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), append([]string{"check", dir, "--format", "json", "--offline"}, args...), &stdout, &stderr)
	if code == ExitError {
		t.Fatalf("exit 2: %s", stderr.String())
	}
	var out jsonOut
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout.String())
	}
	return out, stdout.Bytes(), code
}

// TestCorpusUnderOddPath checks a copy of a corpus in a folder whose name
// kustomize's in-memory file system refuses (a Jenkins workspace job@2, a
// folder with a space): the output is the one of the original, first from
// fresh builds and then from the cache.
func TestCorpusUnderOddPath(t *testing.T) {
	src := filepath.Join(corpora, "flux2-kustomize-helm-example")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	want, wantText, wantCode := checkDir(t, src)
	if want.Summary.Kustomizations == 0 || want.Summary.Errors != 0 {
		t.Fatalf("original: %+v, want Kustomizations and no error", want.Summary)
	}
	dst := filepath.Join(t.TempDir(), "pub", "onedr0p+home-ops", "My Repos", "job@2")
	copyTree(t, src, dst)
	for _, run := range []string{"fresh", "cached"} {
		_, text, code := checkDir(t, dst)
		if code != wantCode || !bytes.Equal(text, wantText) {
			t.Errorf("%s: exit %d, output:\n%s\nwant exit %d, output:\n%s", run, code, text, wantCode, wantText)
		}
	}
}

// has reports whether a finding of rule sits at file:line.
func (o jsonOut) has(rule, file string, line int) bool {
	for _, f := range o.Findings {
		if f.Rule == rule && f.Position.File == file && (line == 0 || f.Position.Line == line) {
			return true
		}
	}
	return false
}

func (o jsonOut) cluster(t *testing.T, name string) (kustomizations, helmReleases, objects int) {
	t.Helper()
	for _, c := range o.Clusters {
		if c.Name == name {
			return c.Kustomizations, c.HelmReleases, c.Objects
		}
	}
	t.Fatalf("cluster %q not found in %+v", name, o.Clusters)
	return 0, 0, 0
}

func TestCorpusKustomizeHelmExample(t *testing.T) {
	out, code := checkCorpus(t, "flux2-kustomize-helm-example")
	if len(out.Clusters) != 2 || out.Clusters[0].Name != "production" || out.Clusters[1].Name != "staging" {
		t.Fatalf("clusters = %+v, want production and staging", out.Clusters)
	}
	for _, name := range []string{"production", "staging"} {
		ks, hrs, objs := out.cluster(t, name)
		// apps, infra-controllers and infra-configs, through the
		// ExternalArtifacts of the ArtifactGenerator.
		if ks != 3 || hrs != 3 || objs < 15 {
			t.Errorf("%s: %d Kustomizations, %d HelmReleases, %d objects; want 3, 3, >= 15", name, ks, hrs, objs)
		}
	}
	if out.Summary.Errors != 0 || code != ExitOK {
		t.Errorf("want no error on Flux's reference repository, got %d (exit %d): %+v", out.Summary.Errors, code, out.Findings)
	}
}

func TestCorpusGitopsFluxcdDemo(t *testing.T) {
	out, code := checkCorpus(t, "gitops-fluxcd-demo")
	if code != ExitFindings {
		t.Errorf("exit %d, want 1", code)
	}
	ks, hrs, _ := out.cluster(t, "fluxcd/clusters/localhost")
	// infrastructure, services, traefik-install, traefik-customize,
	// weave-install, weave-customize and the two indirect ones.
	if ks != 8 || hrs != 5 {
		t.Errorf("localhost: %d Kustomizations, %d HelmReleases; want 8 and 5", ks, hrs)
	}
	cases := []struct {
		name, rule, file string
		line             int
	}{
		{"bootstrap path ./ fails", "render-kustomize-build", "fluxcd/clusters/base/flux-system/gotk-sync.yaml", 23},
		{"chart template read as a manifest", "yaml-not-object", "helmcharts/whoami/templates/deployment.yaml", 0},
		{"chart values read as a manifest", "yaml-not-object", "helmcharts/whoami/values.yaml", 1},
		// No file names the Flux release: the newest that serves every
		// apiVersion used (2.6) is assumed, where these are deprecated.
		{"Kustomization v1beta2 deprecated", "schema-api-deprecated", "fluxcd/clusters/localhost/infrastructure.yaml", 1},
		{"GitRepository v1beta2 deprecated", "schema-api-deprecated", "fluxcd/services/base/whoami-helmrelease-indirect-1/git-source.yaml", 1},
		{"HelmRelease v2beta1 deprecated", "schema-api-deprecated", "fluxcd/infrastructure/base/traefik/install/traefik.yaml", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !out.has(c.rule, c.file, c.line) {
				t.Errorf("no %s finding at %s:%d", c.rule, c.file, c.line)
			}
		})
	}
	for _, f := range out.Findings {
		if f.Rule == "flux-source-unavailable" && strings.Contains(f.Message, "gitops.fluxcd") {
			t.Errorf("a GitRepository of this very repository was not resolved locally: %s", f.Message)
		}
	}
}

func TestCorpusGitopsDemoRendersSubstitutedNamespaces(t *testing.T) {
	dir := filepath.Join(corpora, "gitops-fluxcd-demo")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("corpus not available")
	}
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), []string{"render", dir, "--cluster", "fluxcd/clusters/localhost", "--offline"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got := stdout.String()
	for _, want := range []string{
		"namespace: example", // ${app_namespace:=forgetToConfigure} with app_namespace=example
		"name: traefik",      // ${traefik_namespace:=...}
		"# Source: helmcharts/helmreleases/indirect-1/helmrelease.yaml", // nested Kustomization through a GitRepository of this repository
		"**masked**", // secretGenerator values
	} {
		if !strings.Contains(got, want) {
			t.Errorf("render output lacks %q", want)
		}
	}
	if strings.Contains(got, "forgetToConfigure") {
		t.Error("a substitution default leaked: the variables were not applied")
	}
	if strings.Contains(got, "BEGIN") || strings.Contains(got, "PRIVATE KEY") {
		t.Error("secret material printed")
	}
}

func TestCorpusMultiTenancy(t *testing.T) {
	out, _ := checkCorpus(t, "flux2-multi-tenancy")
	for _, name := range []string{"production", "staging"} {
		ks, _, objs := out.cluster(t, name)
		// infra-controllers, infra-configs and tenants.
		if ks != 3 || objs < 10 {
			t.Errorf("%s: %d Kustomizations, %d objects; want 3 and >= 10", name, ks, objs)
		}
	}
	// The tenants' own GitRepository is rendered (tenants included) and its
	// content, on another branch, is reported as not checked.
	if !out.has("flux-source-unavailable", "tenants/base/dev-team/sync.yaml", 0) {
		t.Error("the dev-team tenant source was not reached")
	}
	if !out.has("flux-source-unavailable", "infrastructure/kyverno/sync.yaml", 0) {
		t.Error("the remote OCIRepository was not reported as unavailable offline")
	}
}

func TestOutputIsDeterministic(t *testing.T) {
	dir := filepath.Join(corpora, "gitops-fluxcd-demo")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("corpus not available")
	}
	var first string
	for i := range 3 {
		var stdout, stderr bytes.Buffer
		Run(context.Background(), []string{"check", dir, "--format", "json", "--offline"}, &stdout, &stderr)
		if i == 0 {
			first = stdout.String()
		} else if stdout.String() != first {
			t.Fatal("two runs printed different output")
		}
	}
}
