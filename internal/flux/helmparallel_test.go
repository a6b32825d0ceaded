package flux

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/model"
)

// parallelCharts are local charts whose releases depend on one another as
// a cluster's do: maker renders the ConfigMap that consumer's valuesFrom
// reads, crds installs a CRD from crds/ (a wave boundary), sneaky makes a
// CRD whose kind comes from its values (which the scheduling cannot
// foresee), app reports the capabilities it sees (with a folded scalar,
// which Rewrite rewrites while other releases' post-renderers build),
// broken does not render.
var parallelCharts = map[string]string{
	"charts/app/Chart.yaml":  "apiVersion: v2\nname: app\nversion: 1.0.0\n",
	"charts/app/values.yaml": "v: default\n",
	"charts/app/templates/cm.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}
data:
  v: {{ .Values.v | quote }}
  widget: {{ .Capabilities.APIVersions.Has "example.com/v1/Widget" | quote }}
  gadget: {{ .Capabilities.APIVersions.Has "example.org/v1/Gadget" | quote }}
  folded: >
    a folded scalar, which Rewrite
    parses and writes again
{{- range until 20 }}
  k{{ . }}: {{ printf "%s-%d" $.Release.Name . | sha256sum | quote }}
{{- end }}
`,
	"charts/maker/Chart.yaml": "apiVersion: v2\nname: maker\nversion: 1.0.0\n",
	"charts/maker/templates/values.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: made-values
data:
  values.yaml: "v: from-maker"
`,
	"charts/crds/Chart.yaml":       "apiVersion: v2\nname: crds\nversion: 1.0.0\n",
	"charts/crds/crds/widget.yaml": crdYAML("widgets.example.com", "example.com", "Widget", "widgets", "Namespaced"),
	"charts/crds/templates/widget.yaml": `apiVersion: example.com/v1
kind: Widget
metadata:
  name: {{ .Release.Name }}
`,
	"charts/sneaky/Chart.yaml":         "apiVersion: v2\nname: sneaky\nversion: 1.0.0\n",
	"charts/sneaky/values.yaml":        "k: CustomResource" + "Definition\n",
	"charts/sneaky/templates/crd.yaml": strings.Replace(crdYAML("gadgets.example.org", "example.org", "Gadget", "gadgets", "Cluster"), "kind: CustomResourceDefinition", "kind: {{ .Values.k }}", 1),
	"charts/broken/Chart.yaml":         "apiVersion: v2\nname: broken\nversion: 1.0.0\n",
	"charts/broken/templates/x.yaml":   `{{ fail "broken on purpose" }}`,
}

func crdYAML(name, group, kind, plural, scope string) string {
	return fmt.Sprintf(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: %s
spec:
  group: %s
  names: {kind: %s, plural: %s}
  scope: %s
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object}}
`, name, group, kind, plural, scope)
}

// helmReleaseYAML is a HelmRelease of a local chart, with extra spec.
func helmReleaseYAML(name, chart, extra string) string {
	return fmt.Sprintf(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: %s
  namespace: default
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/%s
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
%s`, name, chart, extra)
}

// parallelRepo writes a cluster of many releases of those charts, in an
// order where each kind of dependency matters.
func parallelRepo(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{"clusters/dev/flux-system/gotk-sync.yaml": gotkSync}
	for k, v := range parallelCharts {
		files[k] = v
	}
	var docs []string
	add := func(name, chart, extra string) { docs = append(docs, helmReleaseYAML(name, chart, extra)) }
	for i := range 6 {
		add(fmt.Sprintf("early-%d", i), "app", fmt.Sprintf("  values: {v: early-%d}\n", i))
	}
	add("consumer", "app", "  valuesFrom:\n    - kind: ConfigMap\n      name: made-values\n")
	add("maker", "maker", "")
	add("consumer-after", "app", "  valuesFrom:\n    - kind: ConfigMap\n      name: made-values\n")
	add("broken", "broken", "")
	for i := range 5 {
		add(fmt.Sprintf("before-sneaky-%d", i), "app", "")
	}
	add("sneaky", "sneaky", "")
	for i := range 5 {
		add(fmt.Sprintf("after-sneaky-%d", i), "app", "")
	}
	add("crds", "crds", "")
	for i := range 12 {
		add(fmt.Sprintf("late-%d", i), "app", "  postRenderers:\n    - kustomize:\n        patches:\n          - patch: '[{\"op\": \"add\", \"path\": \"/data/patched\", \"value\": \"yes\"}]'\n            target: {kind: ConfigMap}\n")
	}
	files["clusters/dev/releases.yaml"] = strings.Join(docs, "---\n")
	return files
}

// renderWith renders the cluster with a bound on the releases templated at
// once.
func renderWith(t *testing.T, files map[string]string, templaters int) *model.Cluster {
	t.Helper()
	repo := repoWith(t, files)
	sources := NewSources(repo, nil)
	sources.Charts = &helm.Charts{KubeVersion: "1.33", Templaters: templaters}
	return Render(context.Background(), repo, sources, Entry{Name: "dev", Path: "clusters/dev"})
}

// digest is what a render gives, as JSON: every object with its place and
// producer, the findings, the files read.
func digest(t *testing.T, c *model.Cluster) string {
	t.Helper()
	type obj struct {
		Ref      finding.ObjectRef
		Content  map[string]any
		Origin   any
		Chain    []string
		Template string
		Secrets  []string
	}
	var objs []obj
	for _, o := range c.Objects {
		objs = append(objs, obj{o.Ref, o.Content, o.Origin, o.Chain, o.Template, o.Secrets})
	}
	out, err := json.MarshalIndent(map[string]any{
		"objects": objs, "findings": c.Findings, "read": c.FilesRead,
		"releases": c.Releases, "external": c.External,
	}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestHelmReleasesInParallel renders many releases of several charts one
// at a time and with several templaters: the objects, findings and files
// read are the same, in the same order, and each release saw what the
// releases before it rendered (a valuesFrom ConfigMap, CRDs from crds/ and
// from a template the scheduling cannot foresee) and nothing of those
// after it. Run it with -race.
func TestHelmReleasesInParallel(t *testing.T) {
	files := parallelRepo(t)
	one := renderWith(t, files, 1)
	want := digest(t, one)
	for _, n := range []int{2, 8} {
		if got := digest(t, renderWith(t, files, n)); got != want {
			t.Errorf("%d templaters render differently from one:\n%s", n, firstDiff(want, got))
		}
	}

	data := func(name string) map[string]any {
		t.Helper()
		for _, o := range one.Objects {
			if o.Ref.Kind == "ConfigMap" && o.Ref.Name == name {
				d, _ := o.Content["data"].(map[string]any)
				return d
			}
		}
		t.Fatalf("no ConfigMap %s rendered", name)
		return nil
	}
	checks := []struct{ name, key, want string }{
		{"early-0", "v", "early-0"},
		{"consumer-after", "v", "from-maker"},
		{"before-sneaky-4", "gadget", "false"},
		{"after-sneaky-0", "gadget", "true"},
		{"after-sneaky-4", "widget", "false"},
		{"late-0", "widget", "true"},
		{"late-11", "patched", "yes"},
	}
	for _, c := range checks {
		if got := data(c.name)[c.key]; got != c.want {
			t.Errorf("ConfigMap %s: %s = %v, want %s", c.name, c.key, got, c.want)
		}
	}
	rules := map[string]int{}
	for _, f := range one.Findings {
		rules[f.RuleID+" "+f.Object.Name]++
	}
	if rules[helm.RuleValues+" consumer"] != 1 || rules[helm.RuleTemplate+" broken"] != 1 {
		t.Errorf("findings %v: want consumer's valuesFrom (made after it) and broken's template error", rules)
	}
}

// firstDiff shows where two texts first differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n want %s\n got  %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines, want %d", len(bl), len(al))
}

// benchChart is a local chart of some weight: 40 objects from helpers,
// ranges and hashes, as a real application chart renders.
var benchChart = map[string]string{
	"charts/heavy/Chart.yaml":  "apiVersion: v2\nname: heavy\nversion: 1.0.0\n",
	"charts/heavy/values.yaml": "v: default\nparts: 40\nlabels: {team: a, tier: web}\n",
	"charts/heavy/templates/_helpers.tpl": `{{- define "heavy.labels" -}}
app: {{ .Release.Name }}
{{ toYaml .Values.labels }}
{{- end }}`,
	"charts/heavy/templates/parts.yaml": `{{- range $i := until (int .Values.parts) }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $.Release.Name }}-{{ $i }}
  labels:
    {{- include "heavy.labels" $ | nindent 4 }}
data:
  {{- range $k := until 10 }}
  k{{ $k }}: {{ printf "%s-%d-%d-%s" $.Release.Name $i $k $.Values.v | sha256sum | quote }}
  {{- end }}
{{- end }}
`,
}

// BenchmarkHelmReleases renders a cluster of 50 releases of a local chart
// of 40 objects with one templater and with two.
func BenchmarkHelmReleases(b *testing.B) {
	files := map[string]string{"clusters/dev/flux-system/gotk-sync.yaml": gotkSync}
	for k, v := range benchChart {
		files[k] = v
	}
	var docs []string
	for i := range 50 {
		docs = append(docs, helmReleaseYAML(fmt.Sprintf("app-%03d", i), "heavy", fmt.Sprintf("  values: {v: app-%d}\n", i)))
	}
	files["clusters/dev/releases.yaml"] = strings.Join(docs, "---\n")
	repo := repoWith(b, files)
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("templaters=%d", n), func(b *testing.B) {
			for b.Loop() {
				sources := NewSources(repo, nil)
				sources.Charts = &helm.Charts{KubeVersion: "1.33", Templaters: n}
				if c := Render(context.Background(), repo, sources, Entry{Name: "dev", Path: "clusters/dev"}); c.Releases != 50 {
					b.Fatalf("%d releases rendered, want 50", c.Releases)
				}
			}
		})
	}
}
