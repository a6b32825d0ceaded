package schema

import "testing"

// TestDeletedCRDs reads the patches of a FluxInstance: only a `$patch:
// delete` of a CustomResourceDefinition deletes, named by the target's
// name (a regular expression matched whole) or else by the patch's
// metadata.name.
func TestDeletedCRDs(t *testing.T) {
	const oci, helm = "ocirepositories.source.toolkit.fluxcd.io", "helmreleases.helm.toolkit.fluxcd.io"
	del := "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: " + oci + "\n$patch: delete\n"
	for name, tc := range map[string]struct {
		patch   map[string]any
		deletes []string
		keeps   []string
	}{
		"target name": {map[string]any{"target": map[string]any{"kind": "CustomResourceDefinition", "name": oci}, "patch": del},
			[]string{oci}, []string{helm, "x" + oci}},
		"target regexp": {map[string]any{"target": map[string]any{"kind": "CustomResourceDefinition", "name": "(ocirepositories|helmreleases)\\..*"}, "patch": del},
			[]string{oci, helm}, []string{"buckets.source.toolkit.fluxcd.io"}},
		"metadata name": {map[string]any{"patch": del}, []string{oci}, []string{helm}},
		"not a delete": {map[string]any{"target": map[string]any{"kind": "CustomResourceDefinition", "name": oci},
			"patch": "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: " + oci + "\n  labels: {a: b}\n"}, nil, []string{oci}},
		"a Deployment": {map[string]any{"target": map[string]any{"kind": "Deployment", "name": "source-controller"},
			"patch": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: source-controller\n$patch: delete\n"}, nil, []string{oci, "source-controller"}},
		"JSON 6902": {map[string]any{"target": map[string]any{"kind": "CustomResourceDefinition", "name": oci},
			"patch": "- op: remove\n  path: /spec/versions/0\n"}, nil, []string{oci}},
		"bad regexp": {map[string]any{"target": map[string]any{"kind": "CustomResourceDefinition", "name": "(oci"}, "patch": del}, nil, []string{oci}},
	} {
		matches, ok := deletedCRDs(tc.patch)
		for _, n := range tc.deletes {
			if !ok || !matches(n) {
				t.Errorf("%s: %s is not deleted", name, n)
			}
		}
		for _, n := range tc.keeps {
			if ok && matches(n) {
				t.Errorf("%s: %s is deleted", name, n)
			}
		}
	}
}

// TestFluxCRDNames checks that the embedded Flux CRDs are named as the API
// server names them, plural and group.
func TestFluxCRDNames(t *testing.T) {
	v, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	names := v.fluxCRDNames()
	for gk, want := range map[groupKind]string{
		{"source.toolkit.fluxcd.io", "OCIRepository"}:    "ocirepositories.source.toolkit.fluxcd.io",
		{"kustomize.toolkit.fluxcd.io", "Kustomization"}: "kustomizations.kustomize.toolkit.fluxcd.io",
	} {
		if names[gk] != want {
			t.Errorf("%v is named %q, want %q", gk, names[gk], want)
		}
	}
}
