package flux

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/fluxlint/fluxlint/internal/model"
)

func TestNormalizeURL(t *testing.T) {
	const want = "github.com/org/repo"
	tests := []struct {
		name string
		url  string
		want string
	}{
		{name: "https with .git", url: "https://github.com/org/repo.git", want: want},
		{name: "ssh with user", url: "ssh://git@github.com/org/repo", want: want},
		{name: "scp-like", url: "git@github.com:org/repo.git", want: want},
		{name: "host case and trailing slash", url: "https://GitHub.com/org/repo/", want: want},
		{name: "credentials in https", url: "https://user:token@github.com/org/repo", want: want},
		{name: "surrounding space", url: "  https://github.com/org/repo.git\n", want: want},
		{name: "http", url: "http://github.com/org/repo", want: want},
		{name: "scp-like nested path", url: "git@gitlab.com:group/sub/repo.git", want: "gitlab.com/group/sub/repo"},
		{name: "https nested path", url: "https://gitlab.com/group/sub/repo", want: "gitlab.com/group/sub/repo"},
		{name: "another repo", url: "https://github.com/org/other.git", want: "github.com/org/other"},
		{name: "another org", url: "git@github.com:other/repo.git", want: "github.com/other/repo"},
		{name: "another host", url: "https://gitlab.com/org/repo", want: "gitlab.com/org/repo"},
		{name: "https port is kept", url: "https://git.example.com:8443/org/repo", want: "git.example.com:8443/org/repo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeURL(tt.url); got != tt.want {
				t.Errorf("NormalizeURL(%q) = %q, want %q", tt.url, got, tt.want)
			}
		})
	}
}

func TestGitRemotes(t *testing.T) {
	dir := t.TempDir()
	config := `[core]
	bare = false
[remote "origin"]
	url = git@github.com:org/repo.git
	fetch = +refs/heads/*:refs/remotes/origin/*
[remote "mirror"]
	url=https://gitlab.com/org/mirror
`
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "config"), []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	want := []string{"github.com/org/repo", "gitlab.com/org/mirror"}
	for _, d := range []string{dir, sub} {
		if got := gitRemotes(d); !slices.Equal(got, want) {
			t.Errorf("gitRemotes(%s) = %q, want %q", d, got, want)
		}
	}
}

func TestClusterName(t *testing.T) {
	tests := []struct{ dir, want string }{
		{dir: "clusters/prod", want: "prod"},
		{dir: "clusters/prod/eu", want: "clusters/prod/eu"},
		{dir: "deploy/x", want: "deploy/x"},
		{dir: "clusters", want: "clusters"},
		{dir: "my-clusters/a", want: "my-clusters/a"},
		{dir: ".", want: "."},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			if got := ClusterName(tt.dir); got != tt.want {
				t.Errorf("ClusterName(%q) = %q, want %q", tt.dir, got, tt.want)
			}
		})
	}
}

func TestGroup(t *testing.T) {
	tests := []struct{ apiVersion, want string }{
		{apiVersion: "kustomize.toolkit.fluxcd.io/v1", want: model.GroupKustomize},
		{apiVersion: "v1", want: ""},
		{apiVersion: "apps/v1", want: "apps"},
		{apiVersion: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.apiVersion, func(t *testing.T) {
			if got := model.Group(tt.apiVersion); got != tt.want {
				t.Errorf("Group(%q) = %q, want %q", tt.apiVersion, got, tt.want)
			}
		})
	}
}

func TestNormalizeURLScpWithoutUser(t *testing.T) {
	if got, want := NormalizeURL("github.com:org/repo"), NormalizeURL("https://github.com/org/repo.git"); got != want {
		t.Errorf("NormalizeURL(github.com:org/repo) = %q, want %q", got, want)
	}
}
