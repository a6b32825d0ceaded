package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testSchemasDir is the folder of package schemas seen from this package's
// folder, where go test runs.
var testSchemasDir = filepath.Join("..", schemasDir)

// TestCatalogueIsReproducible regenerates the bundle of every catalogue
// project from its pinned inputs and compares it with the committed one,
// byte for byte: the vendored YAML files always, the Go modules when the
// module cache has them (the test never downloads: GOPROXY=off).
func TestCatalogueIsReproducible(t *testing.T) {
	t.Setenv("GOPROXY", "off")
	t.Setenv("GOFLAGS", "-mod=mod")
	ctx := context.Background()
	var entries []catalogueIndexEntry
	complete := true
	for _, p := range catalogueProjects {
		b, entry, err := projectBundle(ctx, testSchemasDir, p)
		if err != nil {
			if strings.Contains(err.Error(), "download") {
				complete = false
				t.Logf("%s: not regenerated, its module is not in the module cache: %v", p.Name, err)
				continue
			}
			t.Fatalf("%s: %v", p.Name, err)
		}
		entries = append(entries, entry)
		compareGzipJSON(t, filepath.Join(testSchemasDir, catalogueDir, entry.Bundle), b)
	}
	if complete {
		compareGzipJSON(t, filepath.Join(testSchemasDir, catalogueDir, catalogueIndexName), catalogueIndex{Projects: entries})
	}
}

func compareGzipJSON(t *testing.T, committed string, v any) {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := gzipBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(committed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what its pinned inputs give (run go -C tools run ./schemagen -catalogue-only)", committed)
	}
}

func TestCatalogueProjectsAreSorted(t *testing.T) {
	for i := 1; i < len(catalogueProjects); i++ {
		if catalogueProjects[i-1].Name >= catalogueProjects[i].Name {
			t.Errorf("%s is listed before %s", catalogueProjects[i-1].Name, catalogueProjects[i].Name)
		}
	}
	for _, p := range catalogueProjects {
		for _, in := range p.Versions {
			vendored := in.Module == ""
			if vendored && (in.Vendored == "" || in.Tag == "" || len(in.Commit) != 40) {
				t.Errorf("%s %s: a vendored input needs its folder, tag and commit", p.Name, in.Version)
			}
			if !vendored && (in.ModuleVersion == "" || !strings.HasPrefix(in.Sum, "h1:")) {
				t.Errorf("%s %s: a module input needs its version and h1: hash", p.Name, in.Version)
			}
			if !strings.HasPrefix(in.Version, "v") {
				t.Errorf("%s %s: versions start with v", p.Name, in.Version)
			}
		}
	}
}

func TestCatalogueCRDTrims(t *testing.T) {
	doc := `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
  annotations: {a: b}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  conversion: {strategy: None}
  versions:
    - name: v1
      served: true
      storage: true
      additionalPrinterColumns: [{name: Age, type: date, jsonPath: .metadata.creationTimestamp}]
      subresources: {status: {}}
      schema:
        openAPIV3Schema:
          type: object
          description: A widget.
          properties:
            spec: {type: object, description: Its spec.}
`
	got, err := catalogueCRD([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},` +
		`"spec":{"group":"example.com","names":{"kind":"Widget","plural":"widgets"},"scope":"Namespaced",` +
		`"versions":[{"name":"v1","schema":{"openAPIV3Schema":{"properties":{"spec":{"type":"object"}},"type":"object"}},"served":true,"storage":true}]}}`
	if string(data) != want {
		t.Fatalf("trimmed CRD\n got %s\nwant %s", data, want)
	}
	if c, err := catalogueCRD([]byte("apiVersion: v1\nkind: ConfigMap\n")); c != nil || err != nil {
		t.Fatalf("a ConfigMap gave %v, %v; want nothing", c, err)
	}
	if _, err := catalogueCRD([]byte("apiVersion: apiextensions.k8s.io/v1beta1\nkind: CustomResourceDefinition\n")); err == nil {
		t.Fatal("a v1beta1 CRD was accepted")
	}
}

func TestSplitYAMLAndTemplateLines(t *testing.T) {
	in := "# head\na: 1\n---\n\n---\nb: {{ .x }}\nc: 2\n"
	docs, err := splitYAML(withoutTemplateLines([]byte(in)))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || !strings.Contains(string(docs[1]), "c: 2") || strings.Contains(string(docs[1]), "b:") {
		t.Fatalf("documents %q", docs)
	}
}
