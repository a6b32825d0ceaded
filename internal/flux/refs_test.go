package flux

import (
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/fluxlint/fluxlint/internal/model"
)

// TestRefName describes refs that check out the same commit alike, by the
// field source-controller gives precedence to.
func TestRefName(t *testing.T) {
	for ref, want := range map[string]string{
		"{branch: main}":                       "branch main",
		"{name: refs/heads/main}":              "branch main",
		"{name: refs/tags/v1}":                 "tag v1",
		"{tag: v1}":                            "tag v1",
		"{name: refs/pull/4/head}":             "name refs/pull/4/head",
		"{branch: main, tag: v1}":              "tag v1",
		"{branch: main, commit: abc}":          "commit abc",
		"{branch: main, name: refs/heads/dev}": "branch dev",
		"{tag: v1, semver: '>=1'}":             "semver >=1",
		"{}":                                   "the default branch",
	} {
		var spec map[string]any
		if err := yaml.Unmarshal([]byte("ref: "+ref), &spec); err != nil {
			t.Fatal(err)
		}
		got := refName(&model.Object{Content: map[string]any{"spec": spec}})
		if got != want {
			t.Errorf("refName(%s) = %q, want %q", ref, got, want)
		}
	}
}
