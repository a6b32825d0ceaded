package operator

import (
	"context"
	"strings"
	"testing"

	"github.com/gosimple/slug"
)

func TestUnresolvedProviders(t *testing.T) {
	const providers = `
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSetInputProvider
metadata: {name: prs, namespace: apps}
spec: {type: GitHubPullRequest, url: "https://github.com/org/app"}
---
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSetInputProvider
metadata: {name: fixed, namespace: apps}
spec: {type: Static, defaultValues: {name: fixed}}
`
	tests := []struct {
		name       string
		strategy   string
		inputs     string
		inputsFrom string
		wantNames  []string
		wantReason []string
	}{
		{
			name:       "flatten keeps the known inputs",
			inputsFrom: "[{name: prs}, {name: fixed}]",
			wantNames:  []string{"cm-fixed"},
			wantReason: []string{"provider prs of type GitHubPullRequest needs the network; its inputs are unknown"},
		},
		{
			name:       "a provider that is not in the repository",
			inputs:     "[{name: inline}]",
			inputsFrom: "[{name: gone}]",
			wantNames:  []string{"cm-inline"},
			wantReason: []string{"not found in the repository; its inputs are unknown"},
		},
		{
			name:       "no known input generates nothing",
			inputsFrom: "[{name: prs}]",
			wantReason: []string{"provider prs of type GitHubPullRequest needs the network; its inputs are unknown"},
		},
		{
			name:       "permute with an unknown factor generates nothing",
			strategy:   "Permute",
			inputs:     "[{name: inline}]",
			inputsFrom: "[{name: prs}, {name: fixed}]",
			wantReason: []string{"provider prs of type GitHubPullRequest needs the network; its inputs are unknown"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := "\n  inputsFrom: " + tt.inputsFrom +
				"\n  resources: [{apiVersion: v1, kind: ConfigMap, metadata: {name: 'cm-<< inputs.name >>', namespace: apps}}]"
			if tt.inputs != "" {
				spec += "\n  inputs: " + tt.inputs
			}
			if tt.strategy != "" {
				spec += "\n  inputStrategy: {name: " + tt.strategy + "}"
			}
			rs := decodeDocs(t, []byte("kind: ResourceSet\nmetadata: {name: rs, namespace: apps}\nspec:"+spec))[0]
			exp := ExpandResourceSet(context.Background(), rs, lookupIn(decodeDocs(t, []byte(providers))))
			if len(exp.Errors) > 0 {
				t.Fatalf("errors: %v", exp.Errors)
			}
			if !exp.Partial {
				t.Error("expansion is not partial")
			}
			var names, reasons []string
			for _, g := range exp.Objects {
				names = append(names, str(g.Object, "metadata", "name"))
			}
			for _, u := range exp.Unresolved {
				reasons = append(reasons, u.Reason)
			}
			if strings.Join(names, ",") != strings.Join(tt.wantNames, ",") {
				t.Errorf("objects %v, want %v", names, tt.wantNames)
			}
			if strings.Join(reasons, "|") != strings.Join(tt.wantReason, "|") {
				t.Errorf("unresolved %q, want %q", reasons, tt.wantReason)
			}
		})
	}
}

func TestPermuteIncludeEmptyProviders(t *testing.T) {
	rs := decodeDocs(t, []byte(`
kind: ResourceSet
metadata: {name: rs, namespace: apps}
spec:
  inputStrategy: {name: Permute, includeEmptyProviders: true}
  inputsFrom: [{name: fixed}]
  resources: [{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}]
`))[0]
	providers := decodeDocs(t, []byte(`{kind: ResourceSetInputProvider, metadata: {name: fixed, namespace: apps}, spec: {type: Static}}`))
	// The ResourceSet has no inline inputs: with includeEmptyProviders it
	// is an empty factor, so the product is empty and nothing is generated.
	exp := ExpandResourceSet(context.Background(), rs, lookupIn(providers))
	if len(exp.Objects) != 0 || len(exp.Errors) != 0 || exp.Inputs != 0 {
		t.Errorf("got %d objects, errors %v, %d inputs; want none", len(exp.Objects), exp.Errors, exp.Inputs)
	}
}

func TestNormalizeKey(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{name: "dashes", in: "my-provider", want: "my_provider"},
		{name: "upper case and dots", in: "Tier.Gold", want: "tier_gold"},
		{name: "runs and ends", in: "--a  b__c--", want: "a_b_c"},
		{name: "symbols are dropped", in: "a+b=c", want: "abc"},
		{name: "non-ASCII letters are dropped", in: "café-1", want: "caf_1"},
		{name: "nothing left", in: "+++", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := normalizeKey(tt.in); got != tt.want {
				t.Errorf("normalizeKey(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestInputID(t *testing.T) {
	// Adler-32 of "Wikipedia" is 0x11E60398.
	if got, want := inputID("Wikipedia"), "300286872"; got != want {
		t.Errorf("inputID = %s, want %s", got, want)
	}
}

// TestSlugifyMatchesLibrary checks slugify against gosimple/slug configured
// as the operator configures it. It sets the library's package variables,
// so it must not run in parallel with other slug users.
func TestSlugifyMatchesLibrary(t *testing.T) {
	maxLength, smart := slug.MaxLength, slug.EnableSmartTruncate
	t.Cleanup(func() { slug.MaxLength, slug.EnableSmartTruncate = maxLength, smart })
	inputs := []string{
		"", "Hello, World!", ">=1.0.0-rc.0", "Ærøskøbing Straße",
		strings.Repeat("word-", 20),
		strings.Repeat("x", 70),
		"a-very-long-description-of-this-team-that-goes-well-past-the-sixty-three",
		strings.Repeat("a", 63) + "-b",
		strings.Repeat("a", 62) + "-b",
	}
	want := make([]string, len(inputs))
	slug.MaxLength, slug.EnableSmartTruncate = 63, true
	for i, in := range inputs {
		want[i] = slug.Make(in)
	}
	slug.MaxLength, slug.EnableSmartTruncate = maxLength, smart
	for i, in := range inputs {
		if got := slugify(in); got != want[i] {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want[i])
		}
	}
}

func TestExpandResourceSetCancelled(t *testing.T) {
	rs := decodeDocs(t, []byte(`
kind: ResourceSet
metadata: {name: rs, namespace: apps}
spec:
  resources: [{apiVersion: v1, kind: ConfigMap, metadata: {name: x}}]
`))[0]
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	exp := ExpandResourceSet(ctx, rs, nil)
	if len(exp.Errors) != 1 || !strings.Contains(exp.Errors[0].Error(), "context canceled") {
		t.Errorf("errors %v, want context canceled", exp.Errors)
	}
}

func TestTemplatePath(t *testing.T) {
	rs := decodeDocs(t, []byte(`
kind: ResourceSet
metadata: {name: rs, namespace: apps}
spec:
  inputs: [{name: a, values: {x: 1}}]
  resources:
    - apiVersion: v1
      kind: ConfigMap
      metadata: {name: "<< inputs.name >>"}
      data: << inputs.values | toYaml | nindent 2 >>
  resourcesTemplate: |
    {apiVersion: v1, kind: Secret, metadata: {name: s}}
`))[0]
	exp := ExpandResourceSet(context.Background(), rs, nil)
	if len(exp.Objects) != 2 {
		t.Fatalf("got %d objects, errors %v", len(exp.Objects), exp.Errors)
	}
	tests := []struct {
		name      string
		object    int
		field     []any
		want      string
		wantExact bool
	}{
		{name: "templated scalar", object: 0, field: []any{"metadata", "name"}, want: "spec.resources[0].metadata.name", wantExact: true},
		{name: "generated structure", object: 0, field: []any{"data", "x"}, want: "spec.resources[0].data"},
		{name: "label set by the operator", object: 0, field: []any{"metadata", "labels", ownerLabelName}, want: "spec.resources[0].metadata"},
		{name: "multi-document template", object: 1, field: []any{"metadata", "name"}, want: "spec.resourcesTemplate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, exact := exp.Objects[tt.object].TemplatePath(tt.field)
			if got := formatPath(path); got != tt.want || exact != tt.wantExact {
				t.Errorf("TemplatePath = %s, %v; want %s, %v", got, exact, tt.want, tt.wantExact)
			}
		})
	}
}
