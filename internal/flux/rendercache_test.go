package flux

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/diskcache/diskcachetest"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/source"
)

const substitutedApps = `apiVersion: kustomize.toolkit.fluxcd.io/v1
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
  postBuild:
    substitute:
      greeting: hello
    substituteFrom:
      - kind: ConfigMap
        name: vars
      - kind: Secret
        name: secret-vars
`

// TestRenderCache renders a cluster twice with one cache folder: the
// second render of the substituted Kustomization comes from the cache and
// gives the same objects, sources and patches. A changed variable or file
// is a miss.
func TestRenderCache(t *testing.T) {
	files := map[string]string{
		"clusters/dev/flux-system/gotk-sync.yaml": gotkSync,
		"clusters/dev/apps.yaml":                  substitutedApps,
		"clusters/dev/vars.yaml":                  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vars\n  namespace: flux-system\ndata:\n  replicas: two\n",
		"clusters/dev/secret-vars.yaml":           "apiVersion: v1\nkind: Secret\nmetadata:\n  name: secret-vars\n  namespace: flux-system\nstringData:\n  token: s3cr3t-t0ken\n",
		"apps/kustomization.yaml":                 "resources:\n  - app.yaml\npatches:\n  - path: patch.yaml\n",
		"apps/app.yaml":                           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: default\ndata:\n  greeting: ${greeting}\n  replicas: \"${replicas}\"\n  token: ${token}\n",
		"apps/patch.yaml":                         "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: default\ndata:\n  extra: \"1\"\n",
	}
	repo := repoWith(t, files)
	store := diskcachetest.NewCounting(t.TempDir())
	render1 := func() *model.Cluster {
		t.Helper()
		sources := NewSources(repo, nil)
		sources.Builds = &render.BuildCache{Store: store, Salt: "test"}
		return Render(context.Background(), repo, sources, Entry{Name: "dev", Path: "clusters/dev"})
	}
	cold := render1()
	if n := store.Take("render-v2"); n != 0 {
		t.Fatalf("an empty cache served %d renders", n)
	}
	app := appObject(t, cold)
	if got := app.Content["data"]; !reflect.DeepEqual(got, map[string]any{"greeting": "hello", "replicas": "two", "token": "s3cr3t-t0ken", "extra": "1"}) {
		t.Fatalf("cold render: data %v", got)
	}
	warm := render1()
	if n := store.Take("render-v2"); n < 2 {
		t.Errorf("the warm render took %d renders from the cache, want both the entry folder's and apps'", n)
	}
	if len(warm.Objects) != len(cold.Objects) {
		t.Fatalf("warm render has %d objects, cold %d", len(warm.Objects), len(cold.Objects))
	}
	for i, c := range cold.Objects {
		w := warm.Objects[i]
		if !reflect.DeepEqual(w.Content, c.Content) || w.Ref != c.Ref || w.Origin != c.Origin ||
			!stringsEqual(w.Chain, c.Chain) || !stringsEqual(w.Secrets, c.Secrets) || len(w.Patches) != len(c.Patches) || w.Doc != c.Doc {
			t.Errorf("object %d differs from the cache:\n cold %+v\n warm %+v", i, *c, *w)
		}
	}
	if w := appObject(t, warm); len(w.Patches) != 1 || !stringsEqual(w.Secrets, []string{"s3cr3t-t0ken"}) {
		t.Errorf("cached object: %d patches, secrets %v; want the patch and the token", len(w.Patches), w.Secrets)
	}
	if got := appObject(t, warm).PosOf([]string{"data", "extra"}); got.File != "apps/patch.yaml" {
		t.Errorf("a patched field of a cached object is at %v, want apps/patch.yaml", got)
	}

	// Another run (a new Repo) restores the renders with each object's
	// document made from its file's layout, parsed only when looked into:
	// the same documents, positions and values.
	repo = reopen(t, repo.Root)
	again := render1()
	if n := store.Take("render-v2"); n < 2 {
		t.Errorf("another run took %d renders from the cache, want 2", n)
	}
	for i, c := range cold.Objects {
		w := again.Objects[i]
		if (w.Doc == nil) != (c.Doc == nil) || w.Origin != c.Origin {
			t.Fatalf("object %d of another run: origin %v, want %v", i, w.Origin, c.Origin)
		}
		if c.Doc != nil && (w.Doc.Index != c.Doc.Index || w.Doc.File.Path != c.Doc.File.Path || !reflect.DeepEqual(w.Doc.Object(), c.Doc.Object()) ||
			w.PosOf([]string{"metadata", "name"}) != c.PosOf([]string{"metadata", "name"})) {
			t.Errorf("object %d of another run: document %d of %s, want %d of %s", i, w.Doc.Index, w.Doc.File.Path, c.Doc.Index, c.Doc.File.Path)
		}
	}

	// A variable from the Secret changes: the seal no longer opens.
	write := func(rel, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(repo.Root, rel), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("clusters/dev/secret-vars.yaml", strings.Replace(files["clusters/dev/secret-vars.yaml"], "s3cr3t-t0ken", "other-token", 1))
	repo = reopen(t, repo.Root)
	if got := appObject(t, render1()).Content["data"].(map[string]any)["token"]; got != "other-token" {
		t.Errorf("after the Secret changed, token is %v", got)
	}
	// A file of the build changes.
	write("apps/app.yaml", strings.Replace(files["apps/app.yaml"], "${greeting}", "${greeting}-world", 1))
	repo = reopen(t, repo.Root)
	if got := appObject(t, render1()).Content["data"].(map[string]any)["greeting"]; got != "hello-world" {
		t.Errorf("after app.yaml changed, greeting is %v", got)
	}
}

// appObject returns the ConfigMap app of a render.
func appObject(t *testing.T, c *model.Cluster) *model.Object {
	t.Helper()
	for _, o := range c.Objects {
		if o.Ref.Name == "app" {
			return o
		}
	}
	t.Fatalf("no object app; findings %v", c.Findings)
	return nil
}

func stringsEqual(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

func reopen(t *testing.T, dir string) *source.Repo {
	t.Helper()
	r, err := source.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestFoldedScalarAsFluxApplies checks that a folded scalar with a
// more-indented line gets the content Flux applies (kustomize writes the
// build out and reads it back once, which adds a blank line), and the same
// content when the build comes from the build cache, which keeps builds as
// text: the cached text is not counted as a second pass.
func TestFoldedScalarAsFluxApplies(t *testing.T) {
	files := map[string]string{
		"clusters/dev/flux-system/gotk-sync.yaml": gotkSync,
		"clusters/dev/apps.yaml":                  substitutedApps,
		"clusters/dev/vars.yaml":                  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vars\n  namespace: flux-system\ndata:\n  replicas: two\n",
		"clusters/dev/secret-vars.yaml":           "apiVersion: v1\nkind: Secret\nmetadata:\n  name: secret-vars\n  namespace: flux-system\nstringData:\n  token: t\n",
		"apps/kustomization.yaml":                 "resources:\n  - app.yaml\n",
		"apps/app.yaml":                           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: default\n  labels:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  text: >\n    a\n    b\n      c\n    d\n",
	}
	const want = "a b\n\n  c\nd\n"
	repo := repoWith(t, files)
	store := diskcachetest.NewCounting(t.TempDir())
	renderOnce := func() string {
		t.Helper()
		sources := NewSources(repo, nil)
		sources.Builds = &render.BuildCache{Store: store, Salt: "test"}
		c := Render(context.Background(), repo, sources, Entry{Name: "dev", Path: "clusters/dev"})
		data, _ := appObject(t, c).Content["data"].(map[string]any)
		text, _ := data["text"].(string)
		return text
	}
	if got := renderOnce(); got != want {
		t.Errorf("cold: text = %q, want %q", got, want)
	}
	// A changed variable misses the render cache; the build comes from the
	// build cache.
	if err := os.WriteFile(filepath.Join(repo.Root, "clusters/dev/vars.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vars\n  namespace: flux-system\ndata:\n  replicas: three\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	store.Take("kustomize-build-v1")
	if got := renderOnce(); got != want {
		t.Errorf("from the build cache: text = %q, want %q", got, want)
	}
	if n := store.Take("kustomize-build-v1"); n == 0 {
		t.Error("the build cache served nothing; the test does not test it")
	}
}
