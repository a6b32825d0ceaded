package diff

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func obj(apiVersion, kind, ns, name, yaml string, chain ...string) Object {
	return Object{Ref: finding.ObjectRef{APIVersion: apiVersion, Kind: kind, Namespace: ns, Name: name},
		YAML: yaml, Origin: "apps/" + name + ".yaml:1:1", Chain: chain}
}

const apps = "Kustomization/flux-system/apps"

// sample is a base and a head revision with every kind of change.
func sample() (base, head []Cluster) {
	base = []Cluster{
		{Name: "staging", Path: "clusters/staging", Objects: []Object{
			obj("v1", "ConfigMap", "web", "settings", "data:\n  mode: slow\n", apps),
			obj("v1", "ConfigMap", "web", "same", "data:\n  a: b\n", apps),
			obj("v1", "Service", "web", "old", "spec:\n  port: 80\n", apps),
			obj("helm.toolkit.fluxcd.io/v2beta2", "HelmRelease", "web", "podinfo", "apiVersion: helm.toolkit.fluxcd.io/v2beta2\n"),
		}},
		{Name: "legacy", Path: "clusters/legacy", Objects: []Object{obj("v1", "Namespace", "", "legacy", "kind: Namespace\n")}},
	}
	head = []Cluster{
		{Name: "staging", Path: "clusters/staging", Objects: []Object{
			obj("v1", "ConfigMap", "web", "settings", "data:\n  mode: fast\n", apps),
			obj("v1", "ConfigMap", "web", "same", "data:\n  a: b\n", apps),
			obj("v1", "ConfigMap", "web", "extra", "data:\n  x: \"1\"\n", apps, "HelmRelease/web/podinfo"),
			obj("helm.toolkit.fluxcd.io/v2", "HelmRelease", "web", "podinfo", "apiVersion: helm.toolkit.fluxcd.io/v2\n"),
		}},
		{Name: "production", Path: "clusters/production"},
	}
	return base, head
}

func TestCompare(t *testing.T) {
	base, head := sample()
	r := Compare("main", "working tree", base, head)
	var names []string
	for _, c := range r.Clusters {
		names = append(names, c.Name+":"+c.Only)
	}
	if got := strings.Join(names, " "); got != "legacy:base production:head staging:" {
		t.Fatalf("clusters = %s", got)
	}
	staging := r.Cluster("staging")
	var got []string
	for _, ch := range staging.Changes {
		got = append(got, string(ch.Kind)+" "+ch.Ref.String())
	}
	want := []string{
		"added ConfigMap/web/extra",
		"removed Service/web/old",
		"changed ConfigMap/web/settings",
		"changed HelmRelease/web/podinfo", // a new API version of the same object
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(staging.Changes[2].Unified, "-  mode: slow\n+  mode: fast\n") {
		t.Errorf("diff of settings:\n%s", staging.Changes[2].Unified)
	}
	if !strings.HasPrefix(staging.Changes[0].Unified, "--- /dev/null\n+++ b/ConfigMap/web/extra\n") {
		t.Errorf("diff of an added object:\n%s", staging.Changes[0].Unified)
	}
	producers := staging.Producers()
	if len(producers) != 3 || producers[0] != (Producer{Name: "HelmRelease/web/podinfo", Objects: 1}) ||
		producers[1] != (Producer{Name: apps, Objects: 2}) || producers[2].Name != EntryFolder {
		t.Errorf("producers = %+v", producers)
	}
	if r.Cluster("production").Changes != nil || r.Empty() {
		t.Error("an empty new cluster has changes, or the result is empty")
	}
	if n := len(r.Cluster("legacy").Changes); n != 1 || r.Cluster("legacy").Changes[0].Kind != Removed {
		t.Errorf("a gone cluster's objects are not removed: %+v", r.Cluster("legacy").Changes)
	}
}

func TestCompareSame(t *testing.T) {
	base, _ := sample()
	r := Compare("HEAD", "working tree", base, base)
	if !r.Empty() {
		t.Errorf("identical revisions differ: %+v", r.Clusters)
	}
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "No rendered object changes in 2 clusters.") {
		t.Errorf("markdown:\n%s", md.String())
	}
}

func TestUnifiedWithoutFinalNewline(t *testing.T) {
	got := Unified("x", "a: 1", "a: 2")
	want := "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a: 1\n+a: 2\n"
	if got != want {
		t.Errorf("Unified = %q, want %q", got, want)
	}
}

func TestMarkdownFences(t *testing.T) {
	r := Compare("a", "b", nil, []Cluster{{Name: "c", Path: "p", Objects: []Object{
		obj("v1", "ConfigMap", "ns", "ticks", "data:\n  md: \"````\"\n"),
	}}})
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "`````diff\n") {
		t.Errorf("the fence is not longer than the backticks in the diff:\n%s", md.String())
	}
}

func TestMarkdownLongDiff(t *testing.T) {
	var b strings.Builder
	for i := range MaxMarkdownLines + 50 {
		b.WriteString("line" + strings.Repeat("x", i%7) + "\n")
	}
	r := Compare("a", "b", nil, []Cluster{{Name: "c", Objects: []Object{obj("v1", "ConfigMap", "ns", "big", b.String())}}})
	var md bytes.Buffer
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "… 53 more lines; run `fluxlint diff` for all of it.") {
		t.Errorf("long diff not cut:\n%s", md.String()[len(md.String())-300:])
	}
}

func TestGolden(t *testing.T) {
	base, head := sample()
	r := Compare("main", "working tree", base, head)
	r.Findings = &FindingChanges{
		Added:   []finding.Finding{{RuleID: "ref-missing", Severity: finding.Error, Message: "names Secret web/token, which no render makes", Pos: finding.Pos{File: "apps/extra.yaml", Line: 8, Col: 9}, Cluster: "staging"}},
		Removed: []finding.Finding{{RuleID: "schema-api-version", Severity: finding.Warning, Message: "helm.toolkit.fluxcd.io/v2beta2 is deprecated", Pos: finding.Pos{File: "apps/podinfo.yaml", Line: 1, Col: 1}, Cluster: "staging"}},
	}
	for name, write := range map[string]func(*bytes.Buffer, *Result) error{
		"text.txt":    func(b *bytes.Buffer, r *Result) error { return WriteText(b, r) },
		"markdown.md": func(b *bytes.Buffer, r *Result) error { return WriteMarkdown(b, r) },
	} {
		t.Run(name, func(t *testing.T) {
			var got bytes.Buffer
			if err := write(&got, r); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden-"+name)
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got.String() != string(want) {
				t.Errorf("output differs from %s (go test -update rewrites it):\n%s", golden, got.String())
			}
		})
	}
}

func TestMaskedOnlyChange(t *testing.T) {
	secret := func(digest string) []Cluster {
		o := obj("v1", "Secret", "ns", "creds", "stringData:\n  password: '**masked**'\n")
		o.Digest = digest
		return []Cluster{{Name: "c", Objects: []Object{o}}}
	}
	if r := Compare("a", "b", secret("d1"), secret("d1")); !r.Empty() {
		t.Errorf("same digest: %+v", r.Clusters)
	}
	r := Compare("a", "b", secret("d1"), secret("d2"))
	ch := r.Clusters[0].Changes
	if len(ch) != 1 || ch[0].Kind != Changed || !ch[0].MaskedOnly || ch[0].Unified != "" {
		t.Fatalf("changes = %+v", ch)
	}
	var text, md bytes.Buffer
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "    (only secret values change; they are masked)\n") ||
		!strings.Contains(md.String(), "Only secret values change; they are masked.") {
		t.Errorf("text:\n%s\nmarkdown:\n%s", text.String(), md.String())
	}
}
