package helm

import "testing"

// TestPostRenderStrategy shows which manifests the post-renderers and the
// origin labels reach under each spec.postRenderStrategy, as
// helm-controller passes it to Helm 4: combined (the default) and separate
// reach hooks too, nohooks leaves them untouched.
func TestPostRenderStrategy(t *testing.T) {
	patch := []any{map[string]any{"kustomize": map[string]any{"patches": []any{map[string]any{
		"target": map[string]any{"kind": "ConfigMap"},
		"patch":  "- op: add\n  path: /metadata/labels\n  value: {patched: \"yes\"}\n",
	}}}}}
	tests := []struct {
		name          string
		strategy      string
		hookPatched   bool
		hookOriginSet bool
	}{
		{name: "default is combined", strategy: "", hookPatched: true, hookOriginSet: true},
		{name: "combined", strategy: PostRenderCombined, hookPatched: true, hookOriginSet: true},
		{name: "separate", strategy: PostRenderSeparate, hookPatched: true, hookOriginSet: true},
		{name: "nohooks", strategy: PostRenderNoHooks, hookPatched: false, hookOriginSet: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			manifests := []Manifest{
				{Template: "c/templates/cm.yaml", Content: map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
					"metadata": map[string]any{"name": "plain", "namespace": "ns"}}},
				{Template: "c/templates/hook.yaml", Content: map[string]any{"apiVersion": "v1", "kind": "ConfigMap",
					"metadata": map[string]any{"name": "hook", "namespace": "ns", "annotations": map[string]any{"helm.sh/hook": "pre-install"}}}},
			}
			out, err := PostRender(manifests, patch, tt.strategy)
			if err != nil {
				t.Fatal(err)
			}
			SetMetadata(out, nil, "rel", "ns", tt.strategy)
			for _, m := range out {
				labels := mapAt(m.Content, "metadata", "labels")
				hook := IsHook(m)
				wantPatch, wantOrigin := true, true
				if hook {
					wantPatch, wantOrigin = tt.hookPatched, tt.hookOriginSet
				}
				if (labels["patched"] == "yes") != wantPatch {
					t.Errorf("%s: patched label = %v, want %v", mapAt(m.Content, "metadata")["name"], labels["patched"], wantPatch)
				}
				if (labels["helm.toolkit.fluxcd.io/name"] == "rel") != wantOrigin {
					t.Errorf("%s: origin label = %v, want %v", mapAt(m.Content, "metadata")["name"], labels["helm.toolkit.fluxcd.io/name"], wantOrigin)
				}
			}
			if len(out) != 2 {
				t.Fatalf("got %d manifests, want 2", len(out))
			}
		})
	}
}

// TestRewriteCountsPasses shows that a chart's folded scalar changes once
// per post-renderer helm-controller runs: the origin labels always, then
// commonMetadata and each kustomize post-renderer.
func TestRewriteCountsPasses(t *testing.T) {
	doc := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: >\n    a\n    b\n      c\n"
	tests := []struct {
		name string
		spec map[string]any
		want string
	}{
		{name: "origin labels only", spec: map[string]any{}, want: "a b\n\n  c\n"},
		{name: "with commonMetadata and a kustomize post-renderer", spec: map[string]any{
			"commonMetadata": map[string]any{"labels": map[string]any{"a": "b"}},
			"postRenderers":  []any{map[string]any{"kustomize": map[string]any{}}},
		}, want: "a b\n\n\n\n  c\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := splitManifest("---\n# Source: c/templates/cm.yaml\n" + doc)
			Rewrite(ms, tt.spec)
			if got := mapAt(ms[0].Content, "data")["k"]; got != tt.want {
				t.Errorf("k = %q, want %q", got, tt.want)
			}
		})
	}
}
