package helm

import (
	"encoding/json"
	"fmt"

	kustypes "sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/kbuild"
)

// Post-render strategies of a HelmRelease's spec.postRenderStrategy
// (helm-controller api/v2 helmrelease_types.go): which manifests the
// post-renderers see. helm-controller's own post-renderers (commonMetadata
// and the origin labels) follow the same strategy.
const (
	// PostRenderCombined, the default with Helm 4, post-renders hooks and
	// templates in one stream.
	PostRenderCombined = "combined"
	// PostRenderSeparate post-renders hooks and templates as two streams.
	PostRenderSeparate = "separate"
	// PostRenderNoHooks, Helm 3's behaviour, leaves hooks untouched.
	PostRenderNoHooks = "nohooks"
)

// PostRender applies a HelmRelease's spec.postRenderers (kustomize patches
// and images, in order) to the rendered manifests, as the helm-controller's
// kustomize post-renderer does, with the given spec.postRenderStrategy
// ("" is combined). No post-renderer binary is ever run.
func PostRender(manifests []Manifest, postRenderers []any, strategy string) ([]Manifest, error) {
	hooks, templates := splitHooks(manifests)
	switch strategy {
	case PostRenderNoHooks:
		out, err := postRender(templates, postRenderers)
		return append(out, hooks...), err
	case PostRenderSeparate:
		out, err := postRender(templates, postRenderers)
		if err != nil {
			return nil, err
		}
		renderedHooks, err := postRender(hooks, postRenderers)
		return append(out, renderedHooks...), err
	}
	return postRender(manifests, postRenderers)
}

// Rewrite gives the manifests the content Flux applies: helm-controller
// reads a chart's output with kustomize and writes it out again once per
// post-renderer (each kustomize post-renderer, commonMetadata when set,
// and the origin labels, always), which changes folded scalars (see
// kbuild.Rewrite). Hooks take no pass under the nohooks strategy. It runs
// before PostRender, whose patches do not depend on those scalars.
func Rewrite(manifests []Manifest, spec map[string]any) {
	passes := 1
	if spec["commonMetadata"] != nil {
		passes++
	}
	prs, _ := spec["postRenderers"].([]any)
	for _, pr := range prs {
		if prm, _ := pr.(map[string]any); prm["kustomize"] != nil {
			passes++
		}
	}
	strategy, _ := spec["postRenderStrategy"].(string)
	for i, m := range manifests {
		if m.text == "" || strategy == PostRenderNoHooks && IsHook(m) {
			continue
		}
		if content, ok, err := kbuild.Rewrite(m.text, passes); ok && err == nil {
			manifests[i].Content = content
		}
	}
}

// IsHook reports whether a manifest is a Helm hook.
func IsHook(m Manifest) bool {
	annotations, _ := mapAt(m.Content, "metadata", "annotations")["helm.sh/hook"].(string)
	return annotations != ""
}

// splitHooks separates the hooks from the other manifests.
func splitHooks(manifests []Manifest) (hooks, templates []Manifest) {
	for _, m := range manifests {
		if IsHook(m) {
			hooks = append(hooks, m)
		} else {
			templates = append(templates, m)
		}
	}
	return hooks, templates
}

// mapAt returns the map at a path, or nil.
func mapAt(m map[string]any, path ...string) map[string]any {
	for _, p := range path {
		m, _ = m[p].(map[string]any)
	}
	return m
}

func postRender(manifests []Manifest, postRenderers []any) ([]Manifest, error) {
	if len(manifests) == 0 {
		return manifests, nil
	}
	out := manifests
	for i, pr := range postRenderers {
		prm, _ := pr.(map[string]any)
		kus, ok := prm["kustomize"].(map[string]any)
		if !ok {
			continue
		}
		var err error
		if out, err = kustomizeManifests(out, kus); err != nil {
			return nil, fmt.Errorf("spec.postRenderers[%d]: %w", i, err)
		}
	}
	return out, nil
}

// kustomizeManifests builds the manifests with a kustomization holding the
// post-renderer's patches and images, in memory.
func kustomizeManifests(manifests []Manifest, spec map[string]any) ([]Manifest, error) {
	var k kustypes.Kustomization
	raw, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(raw, &k); err != nil {
		return nil, fmt.Errorf("read kustomize post-renderer: %w", err)
	}
	k.APIVersion, k.Kind = kustypes.KustomizationVersion, kustypes.KustomizationKind
	k.Resources = []string{"resources.yaml"}
	templates := map[string]string{}
	var stream []byte
	for _, m := range manifests {
		doc, err := yaml.Marshal(m.Content)
		if err != nil {
			return nil, err
		}
		stream = append(append(stream, "---\n"...), doc...)
		templates[identity(m.Content)] = m.Template
	}
	kdata, err := yaml.Marshal(k)
	if err != nil {
		return nil, err
	}
	fs := filesys.MakeFsInMemory()
	if err := fs.WriteFile("/post-render/kustomization.yaml", kdata); err != nil {
		return nil, err
	}
	if err := fs.WriteFile("/post-render/resources.yaml", stream); err != nil {
		return nil, err
	}
	res, err := kbuild.Run(fs, "/post-render", func() kbuild.Read {
		return kbuild.Read{Kustomizations: [][]byte{kdata}, Files: func() [][]byte { return [][]byte{kdata, stream} }}
	})
	if err != nil {
		return nil, err
	}
	var out []Manifest
	kbuild.Reading(func() {
		for _, r := range res.Resources() {
			var content map[string]any
			if content, err = r.Map(); err != nil {
				return
			}
			out = append(out, Manifest{Template: templates[identity(content)], Content: content})
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// identity keys a manifest by kind, namespace and name.
func identity(content map[string]any) string {
	meta, _ := content["metadata"].(map[string]any)
	return fmt.Sprint(content["kind"], "/", meta["namespace"], "/", meta["name"])
}

// SetMetadata adds spec.commonMetadata labels and annotations, then the
// helm-controller's origin labels, which win over commonMetadata.
func SetMetadata(manifests []Manifest, common map[string]any, hrName, hrNamespace, strategy string) {
	labels, _ := common["labels"].(map[string]any)
	annotations, _ := common["annotations"].(map[string]any)
	for _, m := range manifests {
		if strategy == PostRenderNoHooks && IsHook(m) {
			continue
		}
		meta, _ := m.Content["metadata"].(map[string]any)
		if meta == nil {
			meta = map[string]any{}
			m.Content["metadata"] = meta
		}
		mergeStrings(meta, "labels", labels)
		mergeStrings(meta, "annotations", annotations)
		mergeStrings(meta, "labels", map[string]any{
			"helm.toolkit.fluxcd.io/name":      hrName,
			"helm.toolkit.fluxcd.io/namespace": hrNamespace,
		})
	}
}

func mergeStrings(meta map[string]any, field string, add map[string]any) {
	if len(add) == 0 {
		return
	}
	m, _ := meta[field].(map[string]any)
	if m == nil {
		m = map[string]any{}
		meta[field] = m
	}
	for k, v := range add {
		m[k] = v
	}
}
