package model

import (
	"testing"

	"sigs.k8s.io/yaml"
)

// TestPrivateSecrets checks that only a decrypting Kustomization whose
// source needs credentials is taken for one that applies a private
// repository's Secrets, not one of a public upstream repository that a
// parent's patch made decrypt.
func TestPrivateSecrets(t *testing.T) {
	obj := func(text string) *Object {
		var content map[string]any
		if err := yaml.Unmarshal([]byte(text), &content); err != nil {
			t.Fatal(err)
		}
		meta, _ := content["metadata"].(map[string]any)
		name, _ := meta["name"].(string)
		ns, _ := meta["namespace"].(string)
		apiVersion, _ := content["apiVersion"].(string)
		kind, _ := content["kind"].(string)
		o := &Object{Content: content}
		o.Ref.APIVersion, o.Ref.Kind, o.Ref.Name, o.Ref.Namespace = apiVersion, kind, name, ns
		return o
	}
	ks := func(source string, decrypts bool) *Object {
		text := "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: " + source + ", namespace: flux-system}\nspec:\n  sourceRef: {kind: GitRepository, name: " + source + "}\n"
		if decrypts {
			text += "  decryption: {provider: sops}\n"
		}
		return obj(text)
	}
	all := []*Object{
		obj("apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: secrets, namespace: flux-system}\nspec: {url: 'ssh://git@example.com/secrets', secretRef: {name: flux-system}}\n"),
		obj("apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: gateway-api, namespace: flux-system}\nspec: {url: 'https://github.com/kubernetes-sigs/gateway-api'}\n"),
	}
	for _, c := range []struct {
		ks   *Object
		want bool
	}{
		{ks("secrets", true), true},
		{ks("secrets", false), false},
		{ks("gateway-api", true), false},
		{ks("elsewhere", true), false},
	} {
		if got := PrivateSecrets(c.ks, all); got != c.want {
			t.Errorf("PrivateSecrets(%s) = %v, want %v", c.ks.Ref.Name, got, c.want)
		}
	}
}
