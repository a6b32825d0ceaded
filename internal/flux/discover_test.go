package flux

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/source"
)

const gotkSync = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  url: ssh://git@github.com/org/fleet
  ref:
    branch: main
`

func repoWith(t testing.TB, files map[string]string) *source.Repo {
	t.Helper()
	dir := t.TempDir()
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := source.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestDiscover(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []Entry
	}{
		{
			name: "bootstrap layouts",
			files: map[string]string{
				"clusters/a/flux-system/gotk-sync.yaml":        gotkSync,
				"clusters/a/flux-system/kustomization.yaml":    "resources: [gotk-sync.yaml]\n",
				"clusters/b/apps.yaml":                         "kind: Kustomization\n",
				"deploy/x/flux-system/gotk-sync.yaml":          gotkSync,
				".github/workflows/ci.yaml":                    "on: push\n",
				".github/workflows/flux-system/gotk-sync.yaml": gotkSync,
				"apps/base/deployment.yaml":                    "kind: Deployment\n",
			},
			want: []Entry{
				{Name: "a", Path: "clusters/a", Via: model.ViaBootstrap},
				{Name: "b", Path: "clusters/b", Via: model.ViaClusters},
				{Name: "deploy/x", Path: "deploy/x", Via: model.ViaBootstrap},
			},
		},
		{
			name: "sourceignore hides a cluster",
			files: map[string]string{
				".sourceignore": "/clusters/old/\n",
				"clusters/new/flux-system/gotk-sync.yaml": gotkSync,
				"clusters/old/flux-system/gotk-sync.yaml": gotkSync,
			},
			want: []Entry{{Name: "new", Path: "clusters/new", Via: model.ViaBootstrap}},
		},
		{
			name: "non-YAML files do not make a cluster",
			files: map[string]string{
				"clusters/docs/README.md": "# docs\n",
				"clusters/c/sync.yml":     "kind: Kustomization\n",
			},
			want: []Entry{{Name: "c", Path: "clusters/c", Via: model.ViaClusters}},
		},
		{
			name: "a folder of Helm values and charts under clusters is no cluster",
			files: map[string]string{
				"bootstrap/clusters/apps/values.yaml": "cilium:\n  enabled: true\n",
				"deploy/clusters/argo/Chart.yaml":     "apiVersion: v2\nname: argo\nversion: 1.0.0\n",
				"deploy/clusters/argo/values.yaml":    "replicas: 1\n",
				"clusters/c/sync.yml":                 "kind: Kustomization\n",
				"clusters/c/values.yaml":              "replicas: 1\n",
			},
			want: []Entry{{Name: "c", Path: "clusters/c", Via: model.ViaClusters}},
		},
		{
			name: "FluxInstance manifest",
			files: map[string]string{
				"fleet/eu/flux-system/instance.yaml": fluxInstance("fleet/eu"),
				"fleet/eu/apps.yaml":                 "kind: Kustomization\n",
			},
			want: []Entry{{Name: "fleet/eu", Path: "fleet/eu", Via: model.ViaFluxInstance, Instance: "fleet/eu/flux-system/instance.yaml"}},
		},
		{
			name: "FluxInstance beside a clusters folder names the same entry once",
			files: map[string]string{
				"clusters/eu/flux-system/instance.yaml": fluxInstance("./clusters/eu"),
			},
			want: []Entry{{Name: "eu", Path: "clusters/eu", Via: model.ViaFluxInstance, Instance: "clusters/eu/flux-system/instance.yaml"}},
		},
		{
			name: "flux-instance chart values in a HelmRelease and in a values file",
			files: map[string]string{
				"k8s/apps/flux/instance/helmrelease.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: flux-instance\nspec:\n  values:\n    instance:\n      sync:\n        kind: GitRepository\n        url: https://example.com/home\n        path: ./k8s/flux/cluster\n",
				"k8s/flux/cluster/ks.yaml":                "kind: Kustomization\n",
				"other/values.yaml":                       "instance:\n  sync:\n    path: other/entry\n",
				"other/entry/ks.yaml":                     "kind: Kustomization\n",
			},
			want: []Entry{
				{Name: "k8s/flux/cluster", Path: "k8s/flux/cluster", Via: model.ViaChartValues, Instance: "k8s/apps/flux/instance/helmrelease.yaml"},
				{Name: "other/entry", Path: "other/entry", Via: model.ViaChartValues, Instance: "other/values.yaml"},
			},
		},
		{
			name: "a sync path that is not here, or has variables, names no entry",
			files: map[string]string{
				"a/instance.yaml": fluxInstance("clusters/elsewhere"),
				"b/instance.yaml": fluxInstance("clusters/${CLUSTER}"),
			},
			want: nil,
		},
		{
			name:  "no clusters",
			files: map[string]string{"app/deploy.yaml": "kind: Deployment\n"},
			want:  nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Discover(repoWith(t, tt.files), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Discover = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func fluxInstance(path string) string {
	return "apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata:\n  name: flux\n  namespace: flux-system\nspec:\n  sync:\n    kind: OCIRepository\n    url: oci://registry.example/fleet\n    ref: latest\n    path: " + path + "\n"
}

func TestOrphansSkipCommentedOutResources(t *testing.T) {
	ks := func(path string) string {
		return "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: x\n  namespace: flux-system\nspec:\n  path: " + path + "\n  sourceRef:\n    kind: GitRepository\n    name: home\n"
	}
	repo := repoWith(t, map[string]string{
		"k8s/apps/kustomization.yaml": "resources:\n  - ./web/ks.yaml\n  # - ./old/ks.yaml\n  #- ./gone\n",
		"k8s/apps/web/ks.yaml":        ks("./k8s/apps/web/app"),
		"k8s/apps/web/app/a.yaml":     "kind: ConfigMap\n",
		"k8s/apps/old/ks.yaml":        ks("./k8s/apps/old/app"),
		"k8s/apps/old/app/a.yaml":     "kind: ConfigMap\n",
		"k8s/apps/gone/ks.yaml":       ks("./k8s/apps/gone/app"),
		"k8s/apps/gone/app/a.yaml":    "kind: ConfigMap\n",
		"other/ks.yaml":               ks("./k8s/apps/web/app"),
	})
	got, err := Orphans(repo, map[string]bool{"k8s/apps/web/ks.yaml": true})
	if err != nil {
		t.Fatal(err)
	}
	// other/ks.yaml reads this repository whatever its source is called
	// (home); old and gone are switched off in a comment.
	if want := []Entry{{Name: "other", Path: "other", Via: model.ViaOrphan}}; !slices.Equal(got, want) {
		t.Errorf("Orphans = %+v, want %+v", got, want)
	}
}

// TestOrphansSkipKustomizationsLeftOffARenderedList: an app folder that a
// rendered kustomization file above it does not list is switched off, not
// the root of another cluster.
func TestOrphansSkipKustomizationsLeftOffARenderedList(t *testing.T) {
	ks := func(path string) string {
		return "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: x\n  namespace: flux-system\nspec:\n  path: " + path + "\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n"
	}
	repo := repoWith(t, map[string]string{
		"k8s/apps/dl/kustomization.yaml": "resources:\n  - ./web/ks.yaml\n",
		"k8s/apps/dl/web/ks.yaml":        ks("./k8s/apps/dl/web/app"),
		"k8s/apps/dl/web/app/a.yaml":     "kind: ConfigMap\n",
		"k8s/apps/dl/old/ks.yaml":        ks("./k8s/apps/dl/old/app"),
		"k8s/apps/dl/old/app/a.yaml":     "kind: ConfigMap\n",
		"k8s/staging/kustomization.yaml": "resources:\n  - ./apps.yaml\n",
		"k8s/staging/apps.yaml":          ks("./k8s/apps/dl"),
		"k8s/staging/extra/ks.yaml":      ks("./k8s/apps/dl/old/app"),
		"k8s/staging/extra/notes/a.yaml": "kind: ConfigMap\n",
	})
	read := map[string]bool{"k8s/apps/dl/kustomization.yaml": true, "k8s/apps/dl/web/ks.yaml": true}
	got, err := Orphans(repo, read)
	if err != nil {
		t.Fatal(err)
	}
	// k8s/apps/dl/old is off the rendered list; k8s/staging's kustomization
	// file was not read, so it and k8s/staging/extra are roots.
	want := []Entry{{Name: "k8s/staging", Path: "k8s/staging", Via: model.ViaOrphan}, {Name: "k8s/staging/extra", Path: "k8s/staging/extra", Via: model.ViaOrphan}}
	if !slices.Equal(got, want) {
		t.Errorf("Orphans = %+v, want %+v", got, want)
	}
}

func TestPrune(t *testing.T) {
	base := &model.Cluster{Name: "base", Path: "clusters/base", FilesRead: []string{"clusters/base/a.yaml"}}
	prod := &model.Cluster{Name: "prod", Path: "clusters/prod", FilesRead: []string{"clusters/base/a.yaml", "clusters/prod/k.yaml"}}
	// Two entries that each read the other's folder are both kept.
	left := &model.Cluster{Name: "left", Path: "l", FilesRead: []string{"l/a.yaml", "r/a.yaml"}}
	right := &model.Cluster{Name: "right", Path: "r", FilesRead: []string{"l/a.yaml", "r/a.yaml"}}
	// A chain: app is reached by apps, which the real entry reaches.
	entry := &model.Cluster{Name: "entry", Path: "k/flux", FilesRead: []string{"k/apps/ns/app/ks.yaml", "k/apps/ns/ks.yaml", "k/flux/ks.yaml"}}
	apps := &model.Cluster{Name: "apps", Path: "k/apps/ns", FilesRead: []string{"k/apps/ns/app/ks.yaml", "k/apps/ns/ks.yaml"}}
	app := &model.Cluster{Name: "app", Path: "k/apps/ns/app", FilesRead: []string{"k/apps/ns/app/ks.yaml"}}
	kept, dropped := Prune([]*model.Cluster{base, prod, left, right, app, apps, entry})
	names := func(cs []*model.Cluster) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	if got, want := names(kept), []string{"prod", "left", "right", "entry"}; !slices.Equal(got, want) {
		t.Errorf("kept %v, want %v", got, want)
	}
	if got, want := names(dropped), []string{"base", "app", "apps"}; !slices.Equal(got, want) {
		t.Errorf("dropped %v, want %v", got, want)
	}
}

// TestPruneOrphansThatReadEachOther keeps, of two orphan clusters that read
// each other, the folder of the root Kustomization applied by hand, not the
// folder that holds it.
func TestPruneOrphansThatReadEachOther(t *testing.T) {
	files := []string{"k/flux/apps.yaml", "k/flux/config/cluster.yaml"}
	config := &model.Cluster{Name: "config", Path: "k/flux/config", Via: model.ViaOrphan, FilesRead: files}
	flux := &model.Cluster{Name: "flux", Path: "k/flux", Via: model.ViaOrphan, FilesRead: files}
	kept, _ := Prune([]*model.Cluster{flux, config})
	if len(kept) != 1 || kept[0] != config {
		t.Errorf("kept %v, want only k/flux/config", kept)
	}
}

func TestNewSourcesFindsSelf(t *testing.T) {
	repo := repoWith(t, map[string]string{
		"clusters/a/flux-system/gotk-sync.yaml": gotkSync,
		"other/git.yaml": `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: other
  namespace: flux-system
spec:
  url: https://github.com/org/other
`,
	})
	s := NewSources(repo, map[string]string{
		"https://github.com/org/mapped.git": "vendor/mapped",
		"git@github.com:org/alias.git":      ".",
	})
	tests := []struct {
		url  string
		self bool
	}{
		{url: "https://github.com/org/fleet.git", self: true},
		{url: "git@github.com:org/fleet", self: true},
		{url: "https://github.com/org/alias", self: true},
		{url: "https://github.com/org/other", self: false},
		{url: "https://github.com/org/mapped", self: false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			if got := s.self[NormalizeURL(tt.url)]; got != tt.self {
				t.Errorf("self[%s] = %v, want %v", tt.url, got, tt.self)
			}
		})
	}
	if s.selfRef != "branch main" {
		t.Errorf("selfRef = %q, want %q", s.selfRef, "branch main")
	}
	if got, want := s.mapped["github.com/org/mapped"], filepath.Join(repo.Root, "vendor", "mapped"); got != want {
		t.Errorf("mapped folder = %q, want %q", got, want)
	}
}

// TestNewSourcesParsesOnlyURLs checks that the search for this
// repository's URL parses a file that names a GitRepository only when it
// also gives a URL: a Kustomization's sourceRef names the kind alone, and a
// warm run would otherwise parse every Kustomization file to learn nothing.
func TestNewSourcesParsesOnlyURLs(t *testing.T) {
	repo := repoWith(t, map[string]string{
		"clusters/a/flux-system/gotk-sync.yaml": gotkSync,
		"apps/ks.yaml": `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 1h
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
	})
	s := NewSources(repo, nil)
	if !s.self[NormalizeURL("https://github.com/org/fleet")] {
		t.Fatalf("self = %v, want the URL of gotk-sync.yaml", s.SelfURLs())
	}
	if got, want := repo.ParsedLines(), len(strings.SplitAfter(gotkSync, "\n")); got != want {
		t.Errorf("parsed %d lines, want %d: those of gotk-sync.yaml alone", got, want)
	}
}

// TestMappedSourceThroughLink checks that a folder mapped to a URL through a
// symbolic link builds: the artifact's root is resolved, as the
// repository's is, so its folders are not taken to leave it.
func TestMappedSourceThroughLink(t *testing.T) {
	repo := repoWith(t, map[string]string{"clusters/a/ks.yaml": "{}\n"})
	other := repoWith(t, map[string]string{
		"apps/kustomization.yaml": "resources:\n  - cm.yaml\n",
		"apps/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n",
	})
	link := filepath.Join(t.TempDir(), "other")
	if err := os.Symlink(other.Root, link); err != nil {
		t.Skipf("no symbolic links: %v", err)
	}
	s := NewSources(repo, map[string]string{"https://github.com/org/other": link})
	if got := s.mapped["github.com/org/other"]; got != other.Root {
		t.Fatalf("mapped folder = %q, want the resolved %q", got, other.Root)
	}
	a, bad := s.load(s.mapped["github.com/org/other"], "")
	if bad != nil {
		t.Fatal(bad.message)
	}
	ks := render.Unstructured(map[string]any{
		"apiVersion": model.GroupKustomize + "/v1", "kind": "Kustomization",
		"metadata": map[string]any{"name": "apps", "namespace": "flux-system"},
		"spec":     map[string]any{"path": "./apps"},
	})
	res := render.Render(context.Background(), repo, render.Request{
		Build: render.Build{Artifact: a, Path: "./apps", Kustomization: ks},
		At:    finding.Pos{File: "clusters/a/ks.yaml"},
	}, nil)
	if len(res.Findings) > 0 || len(res.Objects) != 1 {
		t.Errorf("render: %d objects, findings %+v; want the ConfigMap", len(res.Objects), res.Findings)
	}
}

// TestOrphansSkipHiddenAndForeignRoots: an orphan in a hidden folder
// (.archive) is not deployed, and a Kustomization that builds the root of
// another source (Flux's flux-manifests artifact, a project's Git
// repository) says nothing of this repository, since every source has a
// root; flux bootstrap's flux-system source still counts.
func TestOrphansSkipHiddenAndForeignRoots(t *testing.T) {
	ks := func(path, kind, name string) string {
		return "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: x\n  namespace: flux-system\nspec:\n  path: " +
			path + "\n  sourceRef:\n    kind: " + kind + "\n    name: " + name + "\n"
	}
	repo := repoWith(t, map[string]string{
		".archive/app/ks.yaml":    ks("./.archive/app/app", "GitRepository", "home"),
		".archive/app/app/a.yaml": "kind: ConfigMap\n",
		"flux/oci/ks.yaml":        ks("./", "OCIRepository", "flux-manifests"),
		"crds/kyverno/ks.yaml":    ks("", "GitRepository", "kyverno-source"),
		"boot/ks.yaml":            ks("./", "GitRepository", "flux-system"),
	})
	got, err := Orphans(repo, map[string]bool{})
	if err != nil {
		t.Fatal(err)
	}
	if want := []Entry{{Name: "boot", Path: "boot", Via: model.ViaOrphan}}; !slices.Equal(got, want) {
		t.Errorf("Orphans = %+v, want %+v", got, want)
	}
}

// TestPruneDropsAClusterWhoseRenderReadNothingOfItsOwn: a candidate whose
// build failed (a remote base offline) read none of its folder's files; a
// cluster that read them reaches it.
func TestPruneDropsAClusterWhoseRenderReadNothingOfItsOwn(t *testing.T) {
	main := &model.Cluster{Name: "main", Path: "k/flux", FilesRead: []string{"k/apps/mon/silences/ks.yaml", "k/flux/ks.yaml"}}
	silences := &model.Cluster{Name: "silences", Path: "k/apps/mon/silences", Via: model.ViaOrphan}
	kept, dropped := Prune([]*model.Cluster{silences, main})
	if len(kept) != 1 || kept[0] != main || len(dropped) != 1 {
		t.Errorf("kept %v, dropped %v; want only main kept", kept, dropped)
	}
}

// TestOverlays lists what a fleet may build from a tenant repository:
// folders with a kustomization file (not kustomize Components), and folders
// of Kubernetes manifests outside them; not hidden folders, nor folders
// with YAML files that are not Kubernetes objects, there or below.
func TestOverlays(t *testing.T) {
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
	repo := repoWith(t, map[string]string{
		"apps/base/kustomization.yaml":     "resources: [cm.yaml]\n",
		"apps/base/cm.yaml":                cm,
		"apps/prod/kustomization.yaml":     "resources: [../base]\n",
		"apps/prod/extra/cm.yaml":          cm,
		"components/db/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
		"policies/cm.yaml":                 cm,
		"ci/lint.yaml":                     "rules: {}\n",
		"k8s/cm.yaml":                      cm,
		"k8s/env/values.yaml":              "replicas: 2\n",
		".archive/cm.yaml":                 cm,
		"root.yaml":                        cm,
		// A Helm chart's folders are Helm's to render, even where its
		// templates parse as objects.
		"charts/web/Chart.yaml":              "apiVersion: v2\nname: web\nversion: 1.0.0\n",
		"charts/web/values.yaml":             "replicas: 1\n",
		"charts/web/templates/cm.yaml":       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
		"charts/web/templates/extra/cm.yaml": cm,
		"charts/web/crds/kustomization.yaml": "resources: [crd.yaml]\n",
	})
	got, err := Overlays(repo)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range got {
		paths = append(paths, e.Path)
		if e.Via != model.ViaTenant {
			t.Errorf("%s: via %q", e.Path, e.Via)
		}
	}
	if want := []string{"apps/base", "apps/prod", "policies"}; !slices.Equal(paths, want) {
		t.Errorf("Overlays = %v, want %v", paths, want)
	}
}
