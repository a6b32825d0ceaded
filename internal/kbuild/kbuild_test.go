package kbuild

import (
	iofs "io/fs"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/openapi"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// A schema that makes spec.items of MyKind merge by name.
const customSchema = `{"definitions": {"io.example.v1.MyKind": {
  "type": "object",
  "properties": {"spec": {"type": "object", "properties": {"items": {
    "type": "array",
    "items": {"type": "object", "properties": {"name": {"type": "string"}, "v": {"type": "string"}}},
    "x-kubernetes-patch-merge-key": "name",
    "x-kubernetes-patch-strategy": "merge"}}}},
  "x-kubernetes-group-version-kind": [{"group": "example.io", "kind": "MyKind", "version": "v1"}]}}}`

const resource = `apiVersion: example.io/v1
kind: MyKind
metadata:
  name: x
spec:
  items:
    - name: a
      v: "1"
    - name: b
      v: "2"
`

const patch = `apiVersion: example.io/v1
kind: MyKind
metadata:
  name: x
spec:
  items:
    - name: b
      v: "3"
`

// build runs one build of the resource and patch, with or without the
// custom schema, and returns the output.
func build(t *testing.T, withSchema bool) string {
	t.Helper()
	k := "resources:\n  - res.yaml\npatches:\n  - path: patch.yaml\n"
	if withSchema {
		k += "openapi:\n  path: schema.json\n"
	}
	return runFiles(t, map[string]string{"/k/kustomization.yaml": k, "/k/res.yaml": resource, "/k/patch.yaml": patch, "/k/schema.json": customSchema})
}

// memFS returns an in-memory file system holding files.
func memFS(t *testing.T, files map[string]string) filesys.FileSystem {
	t.Helper()
	fs := filesys.MakeFsInMemory()
	for name, data := range files {
		if err := fs.WriteFile(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	return fs
}

// runFiles builds /k/kustomization.yaml among files, every file told as
// read, and returns the output.
func runFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	fs := memFS(t, files)
	res, err := Run(fs, "/k", readAll(t, fs))
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	out, err := res.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestSchemaDoesNotLeak checks that a build with a custom OpenAPI schema
// merges by the schema's key, and that the builds after it start from the
// built-in schema again, as in Flux, where each build resets it.
func TestSchemaDoesNotLeak(t *testing.T) {
	before := build(t, false)
	if strings.Contains(before, "name: a") {
		t.Fatalf("without a schema the patch should replace the list:\n%s", before)
	}
	merged := build(t, true)
	if !strings.Contains(merged, "name: a") || !strings.Contains(merged, `v: "3"`) {
		t.Fatalf("with the schema the patch should merge by name:\n%s", merged)
	}
	after := build(t, false)
	if after != before {
		t.Fatalf("the custom schema leaked into the next build:\n%s\nwant:\n%s", after, before)
	}
}

// TestPanicIsAnError checks that a panic inside kustomize is an error.
func TestPanicIsAnError(t *testing.T) {
	fs := filesys.MakeFsInMemory()
	if err := fs.WriteFile("/k/kustomization.yaml", []byte("resources: []\n")); err != nil {
		t.Fatal(err)
	}
	_, err := Run(fs, "/k", func() Read { panic("boom") })
	if err == nil || !strings.Contains(err.Error(), "panic") {
		t.Fatalf("err = %v, want a recovered panic", err)
	}
}

func TestChangesSchema(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"resources: [a.yaml]\n", false},
		{"openapi:\n  path: s.json\n", true},
		{"\xef\xbb\xbfcrds:\n  - crd.json\n", true},
		{"patches:\n  - patch: |\n      openapi: x\n", false},
	} {
		if got := changesSchema([][]byte{[]byte(tc.text)}); got != tc.want {
			t.Errorf("changesSchema(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

// TestReadingExcludesBuilds checks that a resource's scope, read under
// Reading, never races a build that resets the schema (a failed build
// marks it to be reset). Run it with -race.
func TestReadingExcludesBuilds(t *testing.T) {
	built := build(t, false)
	if !strings.Contains(built, "kind: MyKind") {
		t.Fatalf("build output: %s", built)
	}
	broken := filesys.MakeFsInMemory()
	if err := broken.WriteFile("/k/kustomization.yaml", []byte("resources:\n  - missing.yaml\n")); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 20 {
			if _, err := Run(broken, "/k", func() Read { return Read{Files: func() [][]byte { return nil }} }); err == nil {
				t.Error("a build of a missing file succeeded")
			}
		}
	}()
	for range 20 {
		Reading(func() {
			if _, known := openapi.IsNamespaceScoped(yaml.TypeMeta{APIVersion: "example.io/v1", Kind: "MyKind"}); known {
				t.Error("the built-in schema knows MyKind")
			}
		})
	}
	<-done
}

// TestOwnSchemaAddsToBuiltIn checks that a kustomization's own schema adds
// to the built-in one, as in Flux, which parses the built-in schema before
// every build: a Deployment's containers still merge by name in a build
// that sets "openapi", even when no build before it parsed the built-in
// schema.
func TestOwnSchemaAddsToBuiltIn(t *testing.T) {
	resetForTest(t)
	k := "resources:\n  - deploy.yaml\npatches:\n  - path: patch.yaml\nopenapi:\n  path: schema.json\n"
	deploy := `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
        - name: a
          image: a:1
        - name: b
          image: b:1
`
	patch := `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  template:
    spec:
      containers:
        - name: b
          image: b:2
`
	out := runFiles(t, map[string]string{"/k/kustomization.yaml": k, "/k/deploy.yaml": deploy, "/k/patch.yaml": patch, "/k/schema.json": customSchema})
	if !strings.Contains(out, "image: a:1") || !strings.Contains(out, "image: b:2") {
		t.Fatalf("the containers should merge by name, with the built-in schema beside the build's own:\n%s", out)
	}
}

// readAll returns a Run callback that tells every file of the in-memory
// fs as read, the files named kustomization.yaml as kustomizations.
func readAll(t *testing.T, fs filesys.FileSystem) func() Read {
	t.Helper()
	return func() Read {
		var kustomizations, files [][]byte
		err := fs.Walk("/", func(path string, info iofs.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			data, err := fs.ReadFile(path)
			if err != nil {
				return err
			}
			files = append(files, data)
			if strings.HasSuffix(path, "/kustomization.yaml") {
				kustomizations = append(kustomizations, data)
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
		return Read{Kustomizations: kustomizations, Files: func() [][]byte { return files }}
	}
}
