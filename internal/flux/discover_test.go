package flux

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

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

func repoWith(t *testing.T, files map[string]string) *source.Repo {
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
				{Name: "a", Path: "clusters/a"},
				{Name: "b", Path: "clusters/b"},
				{Name: "deploy/x", Path: "deploy/x"},
			},
		},
		{
			name: "sourceignore hides a cluster",
			files: map[string]string{
				".sourceignore": "/clusters/old/\n",
				"clusters/new/flux-system/gotk-sync.yaml": gotkSync,
				"clusters/old/flux-system/gotk-sync.yaml": gotkSync,
			},
			want: []Entry{{Name: "new", Path: "clusters/new"}},
		},
		{
			name: "non-YAML files do not make a cluster",
			files: map[string]string{
				"clusters/docs/README.md": "# docs\n",
				"clusters/c/sync.yml":     "kind: Kustomization\n",
			},
			want: []Entry{{Name: "c", Path: "clusters/c"}},
		},
		{
			name:  "no clusters",
			files: map[string]string{"app/deploy.yaml": "kind: Deployment\n"},
			want:  nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Discover(repoWith(t, tt.files))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Discover = %+v, want %+v", got, tt.want)
			}
		})
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
