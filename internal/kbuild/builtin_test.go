package kbuild

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/openapi"
)

var update = flag.Bool("update", false, "rewrite builtin_kinds.txt from kyaml's built-in schema")

// schemaTypes returns the types kyaml's global schema describes, each as
// "apiVersion kind", read from the definitions as kyaml indexes them.
func schemaTypes(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, d := range openapi.Schema().Definitions {
		exts, ok := d.Extensions["x-kubernetes-group-version-kind"].([]any)
		if !ok {
			continue
		}
		for _, e := range exts {
			m, ok := e.(map[string]any)
			if !ok {
				continue
			}
			group, _ := m["group"].(string)
			version, _ := m["version"].(string)
			kind, _ := m["kind"].(string)
			apiVersion := version
			if group != "" {
				apiVersion = group + "/" + version
			}
			out[apiVersion+" "+kind] = true
		}
	}
	return out
}

// TestBuiltinKindsTable checks builtin_kinds.txt against kyaml: the types
// of its built-in Kubernetes schema, without those of the kustomization
// schema that kyaml parses in every case.
func TestBuiltinKindsTable(t *testing.T) {
	openapi.ResetOpenAPI()
	t.Cleanup(openapi.ResetOpenAPI)
	all := schemaTypes(t)
	openapi.ResetOpenAPI()
	openapi.SuppressBuiltInSchemaUse()
	without := schemaTypes(t)
	var lines []string
	for ty := range all {
		if !without[ty] {
			lines = append(lines, ty)
		}
	}
	slices.Sort(lines)
	var want string
	for _, l := range lines {
		want += fmt.Sprintln(l)
	}
	if *update {
		if err := os.WriteFile("builtin_kinds.txt", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if len(lines) < 100 || !all["apps/v1 Deployment"] || without["apps/v1 Deployment"] {
		t.Fatalf("the built-in schema has %d types of its own; Deployment in it: %v, without it: %v", len(lines), all["apps/v1 Deployment"], without["apps/v1 Deployment"])
	}
	if builtinKindsTable != want {
		t.Fatal("builtin_kinds.txt does not match kyaml's built-in schema: go test ./internal/kbuild -run TestBuiltinKindsTable -update")
	}
}

// buildFiles builds /k/kustomization.yaml among files in a fresh process
// state and returns the output.
func buildFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	resetForTest(t)
	return runFiles(t, files)
}

// resetForTest starts a test from a process that has built nothing, and
// leaves the same state behind.
func resetForTest(t *testing.T) {
	t.Helper()
	state.Lock()
	resetSchema()
	state.Unlock()
	t.Cleanup(func() {
		state.Lock()
		resetSchema()
		state.Unlock()
	})
}

const release = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: r
spec:
  values:
    manifest:
      apiVersion: apps/v1
      kind: Deployment
      spec:
        template:
          spec:
            containers:
              - name: a
                image: a:1
              - name: b
                image: b:1
`

const releasePatch = `patches:
  - patch: |
      apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: r
      spec:
        install:
          crds: CreateReplace
        values:
          manifest:
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                    - name: b
                      image: b:2
`

// TestNestedBuiltinTypeMerges checks that a build whose files name a type
// of the built-in schema only inside another object (a manifest in a
// HelmRelease's values) merges that object by the built-in schema, as
// Flux does, although the build started without it: the Deployment's
// containers merge by name.
func TestNestedBuiltinTypeMerges(t *testing.T) {
	out := buildFiles(t, map[string]string{
		"/k/kustomization.yaml": "resources:\n  - release.yaml\n" + releasePatch,
		"/k/release.yaml":       release,
	})
	for _, want := range []string{"image: a:1", "image: b:2", "crds: CreateReplace"} {
		if !strings.Contains(out, want) {
			t.Fatalf("output lacks %q: the nested Deployment was not merged by its schema:\n%s", want, out)
		}
	}
}

// TestCustomTypesBuildAsWithBuiltin checks that a build naming no type of
// the built-in schema gives the output of a build with it parsed first.
func TestCustomTypesBuildAsWithBuiltin(t *testing.T) {
	files := map[string]string{
		"/k/kustomization.yaml": "resources:\n  - release.yaml\n" + strings.ReplaceAll(releasePatch, "apps/v1", "example.io/v1"),
		"/k/release.yaml":       strings.ReplaceAll(release, "apps/v1", "example.io/v1"),
	}
	without := buildFiles(t, files)
	if state.builtin {
		t.Fatal("a build naming no built-in type parsed the built-in schema")
	}
	resetForTest(t)
	parseBuiltin()
	res, err := runKustomize(memFS(t, files), "/k")
	if err != nil {
		t.Fatal(err)
	}
	with, err := res.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
	if without != string(with) {
		t.Fatalf("without the built-in schema:\n%s\nwith it:\n%s", without, with)
	}
	if !strings.Contains(without, "crds: CreateReplace") || strings.Contains(without, "image: a:1") {
		t.Fatalf("the patch should apply, replacing the list of an unknown type:\n%s", without)
	}
}

func TestMayUseBuiltinSchema(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want bool
	}{
		{"custom types", "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  valuesFrom:\n    - kind: Secret\n", false},
		{"a built-in type", "apiVersion: apps/v1\nkind: Deployment\n", true},
		{"across objects", "apiVersion: v1\nkind: Foo\n---\napiVersion: x/v1\nkind: Secret\n", true},
		{"quoted, in flow style", `{"apiVersion": "v1", "kind": "Service"}`, true},
		{"the value on the next line", "apiVersion:\n  v1\nkind:\n  Pod\n", true},
		{"an anchor and a tag", "apiVersion: &a !!str v1\nkind: &k ConfigMap\n", true},
		{"an alias", "apiVersion: example.io/v1\nkind: *k\n", true},
		{"a generator", "configMapGenerator:\n  - name: x\n", true},
		{"an escape", "apiVersion: v1\nkind: \"Serv\\x69ce\"\n", true},
		{"an explicit key", "? kind\n: Service\napiVersion: v1\n", true},
		{"a replacement", "replacements:\n  - path: r.yaml\n", true},
		{"a field schema in a comment", "spec:\n  replicas: 1 # {\"$openapi\":\"replicas\"}\n", true},
		{"a comment after the value", "apiVersion: example.io/v1 # v1\nkind: Thing # Service\n", false},
	} {
		if got := mayUseBuiltinSchema([][]byte{[]byte(tc.text)}); got != tc.want {
			t.Errorf("%s: mayUseBuiltinSchema(%q) = %v, want %v", tc.name, tc.text, got, tc.want)
		}
	}
}
