package affect

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/source"
)

// writeRepo writes files into a new temporary folder and opens it.
func writeRepo(t *testing.T, files map[string]string) *source.Repo {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	repo, err := source.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return repo
}

// fluxKustomization is a Flux Kustomization of the path.
func fluxKustomization(name, path string) string {
	return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ` + name + `
  namespace: flux-system
spec:
  interval: 10m
  path: ` + path + `
  sourceRef:
    kind: GitRepository
    name: flux-system
`
}

const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"

// selected returns the names of the clusters that the changed files affect.
func selected(t *testing.T, repo *source.Repo, entries []flux.Entry, opts Options, changed ...string) []string {
	t.Helper()
	got, err := Select(repo, entries, changed, opts)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, e := range got {
		names = append(names, e.Name)
	}
	return names
}

func TestSelectKustomize(t *testing.T) {
	repo := writeRepo(t, map[string]string{
		"README.md":                        "# docs",
		"clusters/a/apps.yaml":             fluxKustomization("apps", "./apps/a"),
		"clusters/b/apps.yaml":             fluxKustomization("apps", "./apps/b"),
		"apps/a/kustomization.yaml":        "resources:\n  - ../base\npatches:\n  - path: patch.yaml\n",
		"apps/a/patch.yaml":                configMap,
		"apps/a/stray.yaml":                configMap,
		"apps/b/kustomization.yaml":        "resources:\n  - ../base\n  - https://github.com/org/repo//deploy?ref=v1\n",
		"apps/base/kustomization.yaml":     "resources:\n  - deploy.yaml\nconfigMapGenerator:\n  - name: cfg\n    files:\n      - conf=cfg/app.conf\n",
		"apps/base/deploy.yaml":            configMap,
		"apps/base/unused.yaml":            configMap,
		"apps/base/cfg/app.conf":           "key=value",
		"infrastructure/other/thing.yaml":  configMap,
		"clusters/a/flux-system/notes.txt": "text",
	})
	entries := []flux.Entry{{Name: "a", Path: "clusters/a"}, {Name: "b", Path: "clusters/b"}}
	opts := Options{Global: []string{".fluxlint.yaml", "policy"}}
	cases := []struct {
		changed []string
		want    []string
	}{
		{[]string{"apps/a/patch.yaml"}, []string{"a"}},
		{[]string{"apps/a/kustomization.yaml"}, []string{"a"}},
		{[]string{"apps/b/kustomization.yaml"}, []string{"b"}},
		{[]string{"apps/base/deploy.yaml"}, []string{"a", "b"}},
		{[]string{"apps/base/cfg/app.conf"}, []string{"a", "b"}},
		{[]string{"clusters/a/flux-system/notes.txt"}, []string{"a"}},
		{[]string{"clusters/b/new.yaml"}, []string{"b"}},
		{[]string{"README.md"}, []string{}},
		{[]string{"apps/base/unused.yaml"}, []string{}}, // not in base's kustomization.yaml
		{[]string{"apps/a/stray.yaml"}, []string{}},
		{[]string{"infrastructure/other/thing.yaml"}, []string{}},
		{[]string{"README.md", "apps/a/patch.yaml"}, []string{"a"}},
		{[]string{".fluxlint.yaml"}, []string{"a", "b"}},
		{[]string{"policy/deny.rego"}, []string{"a", "b"}},
		{[]string{"apps/x/.sourceignore"}, []string{"a", "b"}},
		{nil, []string{}},
	}
	for _, c := range cases {
		if got := selected(t, repo, entries, opts, c.changed...); !slices.Equal(got, c.want) {
			t.Errorf("changed %v: affected %v, want %v", c.changed, got, c.want)
		}
	}
}

func TestSelectGeneratedKustomization(t *testing.T) {
	// Without a kustomization.yaml, Flux builds every YAML file below the
	// path; a subfolder with one is built by kustomize and reaches out.
	repo := writeRepo(t, map[string]string{
		"clusters/a/apps.yaml":                   fluxKustomization("apps", "apps/a"),
		"clusters/b/apps.yaml":                   fluxKustomization("apps", "/apps/b/"),
		"apps/a/deep/nested/cm.yaml":             configMap,
		"apps/a/kust/kustomization.yaml":         "resources:\n  - ../../../shared/extra.yaml\n",
		"apps/b/cm.yaml":                         configMap,
		"shared/extra.yaml":                      configMap,
		"shared/more.yaml":                       configMap,
		"apps/b/sub/kustomization.yml":           "components:\n  - ../../../components/c\n",
		"components/c/kustomization.yaml":        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: p.yaml\n",
		"components/c/p.yaml":                    configMap,
		"components/c/ignored-by-kustomize.yaml": configMap,
	})
	entries := []flux.Entry{{Name: "a", Path: "clusters/a"}, {Name: "b", Path: "clusters/b"}}
	for changed, want := range map[string][]string{
		"apps/a/deep/nested/cm.yaml":             {"a"},
		"apps/a/deep/new.yml":                    {"a"},
		"shared/extra.yaml":                      {"a"},
		"shared/more.yaml":                       {},
		"apps/b/cm.yaml":                         {"b"},
		"components/c/p.yaml":                    {"b"},
		"components/c/ignored-by-kustomize.yaml": {},
	} {
		if got := selected(t, repo, entries, Options{}, changed); !slices.Equal(got, want) {
			t.Errorf("changed %s: affected %v, want %v", changed, got, want)
		}
	}
}

func TestSelectCharts(t *testing.T) {
	release := `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
spec:
  chart:
    spec:
      chart: ./charts/app
      sourceRef:
        kind: GitRepository
        name: flux-system
      valuesFiles:
        - ./charts/app/values-prod.yaml
        - ./values/prod.yaml
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: remote
spec:
  chart:
    spec:
      chart: podinfo
      sourceRef:
        kind: HelmRepository
        name: podinfo
`
	repo := writeRepo(t, map[string]string{
		"clusters/a/release.yaml":      release,
		"clusters/b/chart.yaml":        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmChart\nmetadata:\n  name: lib\nspec:\n  chart: charts/other\n  sourceRef:\n    kind: Bucket\n    name: b\n",
		"charts/app/Chart.yaml":        "apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: lib\n    repository: file://../lib\n  - name: redis\n    repository: https://charts.example.com\n",
		"charts/app/templates/cm.yaml": "{{ .Values.x }}",
		"charts/lib/Chart.yaml":        "apiVersion: v2\nname: lib\nversion: 1.0.0\n",
		"charts/other/Chart.yaml":      "apiVersion: v2\nname: other\nversion: 1.0.0\n",
		"values/prod.yaml":             "x: 1\n",
		"values/dev.yaml":              "x: 2\n",
		"podinfo/Chart.yaml":           "apiVersion: v2\nname: podinfo\nversion: 1.0.0\n",
	})
	entries := []flux.Entry{{Name: "a", Path: "clusters/a"}, {Name: "b", Path: "clusters/b"}}
	for changed, want := range map[string][]string{
		"charts/app/templates/cm.yaml": {"a"},
		"charts/lib/Chart.yaml":        {"a"},
		"values/prod.yaml":             {"a"},
		"values/dev.yaml":              {},
		"charts/other/Chart.yaml":      {"b"},
		"podinfo/Chart.yaml":           {}, // a chart repository's chart, not a path
	} {
		if got := selected(t, repo, entries, Options{}, changed); !slices.Equal(got, want) {
			t.Errorf("changed %s: affected %v, want %v", changed, got, want)
		}
	}
}

func TestSelectConservative(t *testing.T) {
	repo := writeRepo(t, map[string]string{
		"clusters/vars/apps.yaml":   fluxKustomization("apps", "./apps/${CLUSTER}"),
		"clusters/broken/apps.yaml": "kind: Kustomization\n  bad: [\n",
		"clusters/plain/apps.yaml":  fluxKustomization("apps", "./apps/plain"),
		"apps/plain/cm.yaml":        configMap,
		"README.md":                 "# docs",
	})
	entries := []flux.Entry{{Name: "broken", Path: "clusters/broken"}, {Name: "plain", Path: "clusters/plain"}, {Name: "vars", Path: "clusters/vars"}}
	// A variable in a path or a file that is not YAML: any change affects
	// the cluster, even one no cluster reaches.
	if got := selected(t, repo, entries, Options{}, "README.md"); !slices.Equal(got, []string{"broken", "vars"}) {
		t.Errorf("README.md affected %v", got)
	}
	r, err := Compute(repo, "clusters/vars", Options{})
	if err != nil || !r.All || r.Reason == "" {
		t.Fatalf("Compute = %+v, %v; want unresolved with a reason", r, err)
	}
}

func TestSelectPatchedPath(t *testing.T) {
	// A kustomization that patches a Flux Kustomization's path reaches the
	// patched folder too.
	repo := writeRepo(t, map[string]string{
		"clusters/a/kustomization.yaml": `resources:
  - ../base
patches:
  - target:
      kind: Kustomization
      name: apps
    patch: |-
      - op: replace
        path: /spec/path
        value: ./apps/a
  - patch: |-
      apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: infra
      spec:
        path: ./infra/a
`,
		"clusters/base/apps.yaml":          fluxKustomization("apps", "./apps/default") + "---\n" + fluxKustomization("infra", "./infra/default"),
		"clusters/base/kustomization.yaml": "resources:\n  - apps.yaml\n",
		"apps/a/cm.yaml":                   configMap,
		"apps/default/cm.yaml":             configMap,
		"infra/a/cm.yaml":                  configMap,
		"apps/b/cm.yaml":                   configMap,
	})
	entries := []flux.Entry{{Name: "a", Path: "clusters/a"}}
	for changed, want := range map[string][]string{
		"apps/a/cm.yaml":       {"a"},
		"infra/a/cm.yaml":      {"a"},
		"apps/default/cm.yaml": {"a"}, // the unpatched path counts too: more, never less
		"apps/b/cm.yaml":       {},
	} {
		if got := selected(t, repo, entries, Options{}, changed); !slices.Equal(got, want) {
			t.Errorf("changed %s: affected %v, want %v", changed, got, want)
		}
	}
}

func TestSelectRootPath(t *testing.T) {
	// A Kustomization of the repository root reaches every file.
	repo := writeRepo(t, map[string]string{
		"clusters/a/apps.yaml": fluxKustomization("all", "./"),
		"clusters/b/cm.yaml":   configMap,
	})
	entries := []flux.Entry{{Name: "a", Path: "clusters/a"}, {Name: "b", Path: "clusters/b"}}
	if got := selected(t, repo, entries, Options{}, "docs/README.md"); !slices.Equal(got, []string{"a"}) {
		t.Errorf("affected %v", got)
	}
}

func TestSelectSources(t *testing.T) {
	// Paths in another repository's GitRepository are not rendered, nor
	// are those in an OCIRepository; a GitRepository with this
	// repository's URL is this tree.
	gitRepo := func(name, url string) string {
		return "---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: " + name +
			"\n  namespace: flux-system\nspec:\n  url: " + url + "\n"
	}
	ks := func(name, kind, source, path string) string {
		return "---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: " + name +
			"\nspec:\n  path: " + path + "\n  sourceRef:\n    kind: " + kind + "\n    name: " + source + "\n"
	}
	repo := writeRepo(t, map[string]string{
		"clusters/a/flux-system/gotk-sync.yaml": gitRepo("flux-system", "ssh://git@github.com/org/fleet"),
		"clusters/a/sources.yaml": ks("tenant", "GitRepository", "tenant", "./tenant") + gitRepo("tenant", "https://github.com/org/tenant") +
			ks("same", "GitRepository", "fleet", "./same") + gitRepo("fleet", "https://github.com/org/fleet.git") +
			ks("unknown", "GitRepository", "nowhere", "./unknown") +
			ks("oci", "OCIRepository", "oci", "./oci") +
			ks("remote", "GitRepository", "remote", "./remote") + gitRepo("remote", "https://example.com/remote"),
		"tenant/cm.yaml":  configMap,
		"same/cm.yaml":    configMap,
		"unknown/cm.yaml": configMap,
		"oci/cm.yaml":     configMap,
		"remote/cm.yaml":  configMap,
	})
	entries := []flux.Entry{{Name: "a", Path: "clusters/a"}}
	opts := Options{SelfURLs: []string{"https://example.com/remote"}}
	for changed, want := range map[string][]string{
		"tenant/cm.yaml":  {},
		"same/cm.yaml":    {"a"},
		"unknown/cm.yaml": {"a"}, // no GitRepository of that name: it may be this one
		"oci/cm.yaml":     {},
		"remote/cm.yaml":  {"a"}, // a Git remote of this repository
	} {
		if got := selected(t, repo, entries, opts, changed); !slices.Equal(got, want) {
			t.Errorf("changed %s: affected %v, want %v", changed, got, want)
		}
	}
}

func TestSelectArtifactGenerator(t *testing.T) {
	repo := writeRepo(t, map[string]string{
		"clusters/a/apps.yaml": `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
spec:
  path: ./a
  sourceRef:
    kind: ExternalArtifact
    name: apps
`,
		// The generator is found after the Kustomization that needs it.
		"clusters/a/z-generator.yaml": `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata:
  name: gen
spec:
  sources:
    - alias: repo
      kind: GitRepository
      name: flux-system
  artifacts:
    - name: apps
      copy:
        - from: "@repo/deploy/apps/base/**"
          to: "@artifact/base/"
        - from: "@repo/deploy/apps/a/**"
          to: "@artifact/a/"
    - name: mixed
      copy:
        - from: "@repo/x/**"
          to: "@artifact/"
        - from: "@repo/y/z/**"
          to: "@artifact/other/"
`,
		"deploy/apps/a/kustomization.yaml": "resources:\n  - ../base\n",
		"deploy/apps/base/cm.yaml":         configMap,
		"deploy/apps/b/cm.yaml":            configMap,
		"clusters/m/apps.yaml": `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
spec:
  path: ./
  sourceRef:
    kind: ExternalArtifact
    name: mixed
`,
		"clusters/m/generator.yaml": "",
	})
	entries := []flux.Entry{{Name: "a", Path: "clusters/a"}}
	for changed, want := range map[string][]string{
		"deploy/apps/base/cm.yaml": {"a"},
		"deploy/apps/b/cm.yaml":    {},
	} {
		if got := selected(t, repo, entries, Options{}, changed); !slices.Equal(got, want) {
			t.Errorf("changed %s: affected %v, want %v", changed, got, want)
		}
	}
	// The generator of clusters/m is not in that cluster: its artifact is
	// not rendered there.
	if got := selected(t, repo, []flux.Entry{{Name: "m", Path: "clusters/m"}}, Options{}, "x/cm.yaml"); len(got) != 0 {
		t.Errorf("x/cm.yaml affected %v", got)
	}
	if root, ok := copyRoot(mustNode(t, "copy:\n  - from: '@r/x/**'\n    to: '@artifact/'\n  - from: '@r/y/z/**'\n    to: '@artifact/other/'\n")); ok {
		t.Errorf("copyRoot of copies from two roots = %q", root)
	}
	if root, ok := copyRoot(mustNode(t, "copy:\n  - from: '@r/deploy/**'\n    to: '@artifact/'\n")); !ok || root != "deploy" {
		t.Errorf("copyRoot = %q, %v", root, ok)
	}
}

// mustNode parses a YAML mapping.
func mustNode(t *testing.T, text string) *yaml.Node {
	t.Helper()
	f := source.Parse("test.yaml", []byte(text))
	if len(f.Docs) != 1 {
		t.Fatalf("parse %q: %v", text, f.Findings)
	}
	return f.Docs[0].Root()
}

func TestSelectSelfURLFile(t *testing.T) {
	// The URL of a flux-system GitRepository tells which GitRepositories
	// are this repository, in every cluster.
	repo := writeRepo(t, map[string]string{
		"clusters/a/cm.yaml":            configMap,
		"clusters/b/cm.yaml":            configMap,
		"bootstrap/flux-system/gr.yaml": "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  url: https://example.com/fleet\n",
	})
	entries := []flux.Entry{{Name: "a", Path: "clusters/a"}, {Name: "b", Path: "clusters/b"}}
	if got := selected(t, repo, entries, Options{}, "bootstrap/flux-system/gr.yaml"); len(got) != 2 {
		t.Errorf("affected %v", got)
	}
}
