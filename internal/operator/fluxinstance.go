package operator

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/fluxlint/fluxlint/internal/cache"
	"github.com/fluxlint/fluxlint/internal/kbuild"
)

// syncSettings are the values the operator's sync template reads.
type syncSettings struct {
	name, namespace, kind, url, ref, path, interval, pullSecret, provider string
	sourceAPIVersion                                                      string
}

// FluxInstanceSync returns the objects a FluxInstance's spec.sync makes the
// operator generate (internal/builder/templates.go syncTmpl, built by
// internal/builder/build.go): a source of kind spec.sync.kind and a
// Kustomization of the same name, in the FluxInstance's namespace, with the
// operator's labels and annotations and spec.kustomize.patches applied,
// source first. It returns nothing without spec.sync. fluxVersion is the
// Flux release installed, such as "v2.6.4", when known: it decides the
// app.kubernetes.io/version label, which is left out when it is empty.
//
// The kustomize output is kept in builds (SyncBucket; the empty bucket
// keeps nothing) under a key of everything the build is given, sealed
// under a key derived from the same, so a run after one that built the
// same sync only decodes it. A record that does not open or decode is
// built again.
func FluxInstanceSync(fi map[string]any, fluxVersion string, builds cache.Bucket) ([]map[string]any, error) {
	if field(fi, "spec", "sync") == nil {
		return nil, nil
	}
	s, err := readSync(fi, fluxVersion)
	if err != nil {
		return nil, err
	}
	patches, err := syncPatches(listAt(fi, "spec", "kustomize", "patches"), s)
	if err != nil {
		return nil, err
	}
	return buildSync(s, fluxVersion, patches, builds)
}

// readSync reads and checks spec.sync with the operator's defaults: the
// name is the namespace's, the interval 1m, printed as a Go duration.
func readSync(fi map[string]any, fluxVersion string) (syncSettings, error) {
	s := syncSettings{
		name:       str(fi, "spec", "sync", "name"),
		namespace:  str(fi, "metadata", "namespace"),
		kind:       str(fi, "spec", "sync", "kind"),
		url:        str(fi, "spec", "sync", "url"),
		ref:        str(fi, "spec", "sync", "ref"),
		path:       str(fi, "spec", "sync", "path"),
		pullSecret: str(fi, "spec", "sync", "pullSecret"),
		provider:   str(fi, "spec", "sync", "provider"),
	}
	if s.namespace == "" {
		return s, errors.New("FluxInstance has no metadata.namespace")
	}
	if s.name == "" {
		s.name = s.namespace
	}
	switch s.kind {
	case "GitRepository", "OCIRepository", "Bucket":
	default:
		return s, fmt.Errorf("spec.sync.kind %q is not one of GitRepository, OCIRepository, Bucket", s.kind)
	}
	for _, f := range []struct{ name, value string }{{"url", s.url}, {"ref", s.ref}, {"path", s.path}} {
		if f.value == "" {
			return s, fmt.Errorf("spec.sync.%s is required", f.name)
		}
	}
	interval := "1m"
	if v := field(fi, "spec", "sync", "interval"); v != nil {
		interval = fmt.Sprint(v)
	}
	d, err := time.ParseDuration(interval)
	if err != nil {
		return s, fmt.Errorf("spec.sync.interval: %w", err)
	}
	s.interval = d.String()
	s.sourceAPIVersion = "source.toolkit.fluxcd.io/v1"
	if s.kind != "GitRepository" {
		s.sourceAPIVersion = sourceAPIVersion(fi, fluxVersion)
	}
	return s, nil
}

// syncYAML writes the two objects as the operator's template does: values
// are written unquoted, so YAML decides their types.
func syncYAML(s syncSettings) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\napiVersion: %s\nkind: %s\nmetadata:\n  name: %s\n  namespace: %s\nspec:\n  interval: %s\n",
		s.sourceAPIVersion, s.kind, s.name, s.namespace, s.interval)
	switch s.kind {
	case "GitRepository":
		fmt.Fprintf(&b, "  ref:\n    name: %s\n", s.ref)
	case "OCIRepository":
		fmt.Fprintf(&b, "  ref:\n    tag: %s\n", s.ref)
	default:
		fmt.Fprintf(&b, "  bucketName: %s\n", s.ref)
	}
	if s.pullSecret != "" {
		fmt.Fprintf(&b, "  secretRef:\n    name: %s\n", s.pullSecret)
	}
	if s.provider != "" {
		fmt.Fprintf(&b, "  provider: %s\n", s.provider)
	}
	if s.kind == "Bucket" {
		fmt.Fprintf(&b, "  endpoint: %s\n", s.url)
	} else {
		fmt.Fprintf(&b, "  url: %s\n", s.url)
	}
	fmt.Fprintf(&b, "---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: %s\n  namespace: %s\n"+
		"spec:\n  interval: 10m0s\n  path: %s\n  prune: true\n  sourceRef:\n    kind: %s\n    name: %s\n",
		s.name, s.namespace, s.path, s.kind, s.name)
	return b.String()
}

// buildSync runs kustomize over the sync objects the way the operator's
// kustomization does: the namespace, the patches, then the annotation and
// label transformers.
func buildSync(s syncSettings, fluxVersion string, patches []any, builds cache.Bucket) ([]map[string]any, error) {
	kust := map[string]any{
		"apiVersion":   "kustomize.config.k8s.io/v1beta1",
		"kind":         "Kustomization",
		"namespace":    s.namespace,
		"transformers": []any{"annotations.yaml", "labels.yaml"},
		"resources":    []any{"sync.yaml"},
	}
	if len(patches) > 0 {
		kust["patches"] = patches
	}
	kustYAML, err := yaml.Marshal(kust)
	if err != nil {
		return nil, err
	}
	labels := map[string]any{
		"app.kubernetes.io/managed-by": "flux-operator",
		"app.kubernetes.io/instance":   s.namespace,
		"app.kubernetes.io/part-of":    "flux",
	}
	if fluxVersion != "" {
		labels["app.kubernetes.io/version"] = fluxVersion
	}
	files := map[string]any{
		"kustomization.yaml": kust,
		"annotations.yaml": map[string]any{
			"apiVersion": "builtin", "kind": "AnnotationsTransformer", "metadata": map[string]any{"name": "annotations"},
			"annotations": map[string]any{
				"kustomize.toolkit.fluxcd.io/ssa":   "Ignore",
				"kustomize.toolkit.fluxcd.io/prune": "Disabled",
			},
			"fieldSpecs": []any{map[string]any{"path": "metadata/annotations", "create": true}},
		},
		"labels.yaml": map[string]any{
			"apiVersion": "builtin", "kind": "LabelTransformer", "metadata": map[string]any{"name": "labels"},
			"labels":     labels,
			"fieldSpecs": []any{map[string]any{"path": "metadata/labels", "create": true}},
		},
	}
	fs := filesys.MakeFsInMemory()
	const dir = "/fluxinstance"
	parts := []string{"fluxinstance sync"}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		data, err := yaml.Marshal(files[name])
		if err != nil {
			return nil, err
		}
		if err := fs.WriteFile(dir+"/"+name, data); err != nil {
			return nil, err
		}
		parts = append(parts, name, string(data))
	}
	sync := syncYAML(s)
	if err := fs.WriteFile(dir+"/sync.yaml", []byte(sync)); err != nil {
		return nil, err
	}
	parts = append(parts, "sync.yaml", sync)
	if objs, ok := keptSync(builds, parts); ok {
		return objs, nil
	}
	res, err := kbuild.Run(fs, dir, func() kbuild.Read {
		return kbuild.Read{Kustomizations: [][]byte{kustYAML}, Files: func() [][]byte {
			written := [][]byte{kustYAML}
			for i := 2; i < len(parts); i += 2 {
				written = append(written, []byte(parts[i]))
			}
			return written
		}}
	})
	if err != nil {
		return nil, fmt.Errorf("build the sync objects: %w", err)
	}
	var out []byte
	kbuild.Reading(func() { out, err = res.AsYaml() })
	if err != nil {
		return nil, err
	}
	objs, err := readObjects(string(out))
	if err == nil {
		keepSync(builds, parts, out)
	}
	return objs, err
}

// SyncBucket is the name of the bucket that keeps the sync builds.
const SyncBucket = "operator-sync-v1"

// keptSync returns the objects of a sync build kept under parts (the
// files the build is given), when there is a record that opens and
// decodes.
func keptSync(builds cache.Bucket, parts []string) ([]map[string]any, bool) {
	var sealed, out []byte
	if !builds.Load(builds.Key(parts...), &sealed) || !cache.Open(cache.SealKey(parts...), sealed, &out) {
		return nil, false
	}
	objs, err := readObjects(string(out))
	return objs, err == nil
}

// keepSync keeps a sync build's output under parts, sealed.
func keepSync(builds cache.Bucket, parts []string, out []byte) {
	if builds.Store == nil {
		return
	}
	if sealed, err := cache.Seal(cache.SealKey(parts...), out); err == nil {
		builds.Keep(builds.Key(parts...), sealed)
	}
}
