package render

import (
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/source"
)

// TestFolderAt: a build error of an entry folder stands at its
// kustomization file, whichever name kustomize recognises it by, or at the
// folder when Flux generates one.
func TestFolderAt(t *testing.T) {
	repo, err := source.Open(writeTree(t, map[string]string{
		"clusters/a/kustomization.yaml": "resources: []\n",
		"clusters/b/Kustomization":      "resources: []\n",
		"clusters/c/apps.yaml":          "apiVersion: v1\n",
	}))
	if err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]finding.Pos{
		"clusters/a": {File: "clusters/a/kustomization.yaml", Line: 1, Col: 1},
		"clusters/b": {File: "clusters/b/Kustomization", Line: 1, Col: 1},
		"clusters/c": {File: "clusters/c"},
	} {
		if got := folderAt(repo, dir); got != want {
			t.Errorf("folderAt(%s) = %+v, want %+v", dir, got, want)
		}
	}
}
