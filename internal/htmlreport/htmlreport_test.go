package htmlreport

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/diff"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func object(apiVersion, kind, ns, name, file string, spec map[string]any, chain ...string) *model.Object {
	meta := map[string]any{"name": name}
	if ns != "" {
		meta["namespace"] = ns
	}
	content := map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": meta}
	if spec != nil {
		content["spec"] = spec
	}
	return &model.Object{
		Ref:     finding.ObjectRef{APIVersion: apiVersion, Kind: kind, Namespace: ns, Name: name},
		Content: content, Origin: finding.Pos{File: file, Line: 1, Col: 1}, Chain: chain,
	}
}

const (
	ksAPI = "kustomize.toolkit.fluxcd.io/v1"
	hrAPI = "helm.toolkit.fluxcd.io/v2"
	infra = "Kustomization/flux-system/infra"
	apps  = "Kustomization/flux-system/apps"
	hr    = "HelmRelease/web/podinfo"
)

// sample is a cluster with two Kustomizations (apps depends on infra), a
// HelmRelease with chart output, a Secret, and findings.
func sample() *check.Result {
	secret := object("v1", "Secret", "web", "creds", "apps/secret.yaml", nil, apps)
	secret.Content["stringData"] = map[string]any{"token": "s3cr3t-token"}
	objs := []*model.Object{
		object(ksAPI, "Kustomization", "flux-system", "infra", "clusters/dev/infra.yaml", nil),
		object(ksAPI, "Kustomization", "flux-system", "apps", "clusters/dev/apps.yaml",
			map[string]any{"dependsOn": []any{map[string]any{"name": "infra"}, map[string]any{"name": "missing"}}}),
		object("v1", "Namespace", "", "web", "apps/ns.yaml", nil, apps),
		object(hrAPI, "HelmRelease", "web", "podinfo", "apps/release.yaml", nil, apps),
		secret,
		object("apps/v1", "Deployment", "web", "podinfo", "apps/release.yaml", nil, apps, hr),
		object("v1", "ConfigMap", "infra", "settings", "infra/cm.yaml", nil, infra),
	}
	objs[5].Template = "podinfo/templates/deployment.yaml"
	c := &model.Cluster{Name: "dev", Path: "clusters/dev", Objects: objs, HelmReleases: []*model.Object{objs[3]}}
	return &check.Result{Clusters: []*model.Cluster{c}, Findings: []finding.Finding{
		{RuleID: "schema-invalid", Severity: finding.Error, Message: "replicas: want integer", Cluster: "dev",
			Pos: finding.Pos{File: "apps/release.yaml", Line: 9, Col: 5}, Object: objs[5].Ref},
		{RuleID: "xref-missing", Severity: finding.Warning, Message: "dependsOn names no Kustomization missing", Cluster: "dev",
			Pos: finding.Pos{File: "clusters/dev/apps.yaml", Line: 8}, Object: objs[1].Ref, Hint: "add it"},
		{RuleID: "schema-kind-unknown", Severity: finding.Info, Message: "no schema", Object: objs[6].Ref,
			Pos: finding.Pos{File: "infra/cm.yaml", Line: 1}},
		{RuleID: "repo-note", Severity: finding.Info, Message: "about the repository", Pos: finding.Pos{File: ".fluxlint.yaml"}},
	}}
}

// testEncode marks masked values as the real encoder does.
func testEncode(o *model.Object, secrets []string) ([]byte, error) {
	data, err := yaml.Marshal(o.Content)
	return []byte(check.Mask(string(data), secrets)), err
}

func TestBuild(t *testing.T) {
	rep, err := Build(sample(), Options{Encode: testEncode})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Clusters[0]
	if c.Errors != 1 || c.Warnings != 1 || c.Infos != 1 {
		t.Errorf("counts = %d/%d/%d, want 1/1/1 (the repository finding is in no cluster)", c.Errors, c.Warnings, c.Infos)
	}
	if strings.Contains(c.Objects[4].YAML, "s3cr3t") {
		t.Error("the encoder was not given the cluster's secret values")
	}
	t.Run("tree", func(t *testing.T) {
		var lines []string
		var walk func(ns []*TreeNode, depth int)
		walk = func(ns []*TreeNode, depth int) {
			for _, n := range ns {
				lines = append(lines, strings.Repeat("  ", depth)+n.Label+" "+n.Worst)
				walk(n.Children, depth+1)
			}
		}
		walk(c.Tree, 0)
		want := `Kustomization flux-system/apps error
  HelmRelease web/podinfo error
    Deployment web/podinfo error
  Namespace web 
  Secret web/creds 
Kustomization flux-system/infra info
  ConfigMap infra/settings info`
		if got := strings.Join(lines, "\n"); got != want {
			t.Errorf("tree:\n%s\nwant:\n%s", got, want)
		}
	})
	t.Run("graph", func(t *testing.T) {
		g := c.Graph
		pos := map[string]Node{}
		for _, n := range g.Nodes {
			pos[n.Key] = n
		}
		if len(g.Nodes) != 3 {
			t.Fatalf("nodes = %+v", g.Nodes)
		}
		if pos[hr].Worst != "error" || pos[apps].Worst != "warning" || pos[infra].Worst != "info" {
			t.Errorf("worst: release %q, apps %q, infra %q", pos[hr].Worst, pos[apps].Worst, pos[infra].Worst)
		}
		if pos[hr].Parent != apps || pos[apps].Parent != "" || pos[hr].Namespace != "web" || pos[hr].Name != "podinfo" || pos[apps].Findings != 1 {
			t.Errorf("nodes: %+v", g.Nodes)
		}
		var edges []string
		for _, e := range g.Edges {
			edges = append(edges, e.Kind+" "+g.Nodes[e.From].Key+" -> "+g.Nodes[e.To].Key)
		}
		want := "dependsOn " + infra + " -> " + apps + "\nproduces " + apps + " -> " + hr
		if strings.Join(edges, "\n") != want {
			t.Errorf("edges:\n%s\nwant:\n%s", strings.Join(edges, "\n"), want)
		}
	})
	t.Run("findings", func(t *testing.T) {
		if rep.Findings[0].ObjectID != c.Objects[5].ID || rep.Findings[3].ObjectID != "" {
			t.Errorf("links: %q, %q", rep.Findings[0].ObjectID, rep.Findings[3].ObjectID)
		}
		if rep.Findings[2].ObjectID != c.Objects[6].ID {
			t.Error("a finding without a cluster is not linked to the object")
		}
		if strings.Join(rep.Rules, ",") != "repo-note,schema-invalid,schema-kind-unknown,xref-missing" {
			t.Errorf("rules = %v", rep.Rules)
		}
		if rep.Findings[2].Cluster != "" || rep.Findings[2].Clusters != "dev" || rep.Findings[3].Clusters != "" {
			t.Errorf("Cluster column: %q and %q; want the cluster of the object of a repository finding, and none for the repository's", rep.Findings[2].Clusters, rep.Findings[3].Clusters)
		}
		if rep.Findings[0].Key != finding.Finding(sample().Findings[0]).Fingerprint() || rep.Findings[0].DocsURL != finding.DocsURL("schema-invalid") {
			t.Errorf("finding 0: key %q, docs %q", rep.Findings[0].Key, rep.Findings[0].DocsURL)
		}
	})
}

func TestBuildNeedsEncoder(t *testing.T) {
	if _, err := Build(sample(), Options{}); err == nil {
		t.Error("Build without an encoder succeeded")
	}
}

func TestDependsOnCycle(t *testing.T) {
	a := object(ksAPI, "Kustomization", "ns", "a", "a.yaml", map[string]any{"dependsOn": []any{map[string]any{"name": "b"}}})
	b := object(ksAPI, "Kustomization", "ns", "b", "b.yaml", map[string]any{"dependsOn": []any{map[string]any{"name": "a"}}})
	res := &check.Result{Clusters: []*model.Cluster{{Name: "c", Objects: []*model.Object{a, b}}}}
	rep, err := Build(res, Options{Encode: testEncode})
	if err != nil {
		t.Fatal(err)
	}
	g := rep.Clusters[0].Graph
	if len(g.Nodes) != 2 || len(g.Edges) != 2 {
		t.Errorf("cycle: %+v", g)
	}
}

// TestGolden writes the page of the sample with a diff and compares it
// with testdata/golden.html, which -update rewrites.
func TestGolden(t *testing.T) {
	d := diff.Compare("main", "working tree", []diff.Cluster{{Name: "dev", Path: "clusters/dev", Objects: []diff.Object{
		{Ref: finding.ObjectRef{APIVersion: "v1", Kind: "ConfigMap", Namespace: "infra", Name: "settings"}, YAML: "a: <b>\n"},
	}}}, []diff.Cluster{{Name: "dev", Path: "clusters/dev", Objects: []diff.Object{
		{Ref: finding.ObjectRef{APIVersion: "v1", Kind: "ConfigMap", Namespace: "infra", Name: "settings"}, YAML: "a: <c>\n"},
	}}})
	rep, err := Build(sample(), Options{Encode: testEncode, Title: "sample <repo>", Diff: d})
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := Write(&got, rep); err != nil {
		t.Fatal(err)
	}
	page := got.String()
	for _, want := range []string{"<title>sample &lt;repo&gt;</title>", `<span class="del">-a: &lt;b&gt;</span>`,
		`<span class="change change-changed">changed</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(page, "s3cr3t") || strings.Contains(page, "<b>") {
		t.Error("the page shows a secret or unescaped text")
	}
	golden := filepath.Join("testdata", "golden.html")
	if *update {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if page != string(want) {
		t.Errorf("page differs from %s; go test -update rewrites it", golden)
	}
}
