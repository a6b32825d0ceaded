package flux

import (
	"testing"

	"github.com/fluxlint/fluxlint/internal/model"
)

// TestJoins joins an orphan whose roots name a source that its own files
// define to the one cluster that reads a Kustomization naming that source
// without defining it; not when two clusters do, nor when the source is
// flux bootstrap's flux-system.
func TestJoins(t *testing.T) {
	root := func(name, path, src string) string {
		return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ` + name + `
  namespace: flux-system
spec:
  path: ` + path + `
  sourceRef:
    kind: GitRepository
    name: ` + src + `
`
	}
	git := func(name string) string {
		return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ` + name + `
  namespace: flux-system
spec:
  url: https://example.com/repo
`
	}
	repo := repoWith(t, map[string]string{
		"main/entry.yaml":       root("entry", "./main", "cluster"),
		"main/app.yaml":         "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app\n",
		"other/entry.yaml":      root("other", "./other", "cluster"),
		"repos/entry.yaml":      root("repos", "./repos", "cluster"),
		"repos/git.yaml":        git("cluster"),
		"boot/entry.yaml":       root("boot", "./boot", "flux-system"),
		"boot/git.yaml":         git("flux-system"),
		"single/entry.yaml":     root("single", "./single", "flux-system"),
		"second/entry.yaml":     root("second", "./second", "mine"),
		"second/git.yaml":       git("mine"),
		"mainsecond/entry.yaml": root("ms", "./mainsecond", "mine"),
	})
	orphan := func(dir string, files ...string) *model.Cluster {
		return &model.Cluster{Name: dir, Path: dir, Via: model.ViaOrphan, FilesRead: files}
	}
	main := orphan("main", "main/entry.yaml", "main/app.yaml")
	repos := orphan("repos", "repos/entry.yaml", "repos/git.yaml")
	if got := Joins(repo, []*model.Cluster{main, repos}); len(got) != 1 || got[repos] != main {
		t.Errorf("Joins = %v, want repos joining main", got)
	}
	other := orphan("other", "other/entry.yaml")
	if got := Joins(repo, []*model.Cluster{main, repos, other}); len(got) != 0 {
		t.Errorf("Joins with two clusters naming the source = %v, want none", got)
	}
	boot, single := orphan("boot", "boot/entry.yaml", "boot/git.yaml"), orphan("single", "single/entry.yaml")
	if got := Joins(repo, []*model.Cluster{boot, single}); len(got) != 0 {
		t.Errorf("Joins of flux-system = %v, want none", got)
	}
	second := orphan("second", "second/entry.yaml", "second/git.yaml")
	ms := &model.Cluster{Name: "ms", Path: "mainsecond", Via: model.ViaClusters, FilesRead: []string{"mainsecond/entry.yaml"}}
	if got := Joins(repo, []*model.Cluster{ms, second}); len(got) != 1 || got[second] != ms {
		t.Errorf("Joins = %v, want second joining the clusters/ cluster ms", got)
	}
}
