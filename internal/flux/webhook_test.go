package flux

import (
	"reflect"
	"testing"

	"sigs.k8s.io/yaml"
)

func TestWebhookFromValues(t *testing.T) {
	tests := []struct {
		name, values string
		sources      [][2]string
		excluded     map[string]bool
	}{
		{"defaults of the first chart", `{}`,
			[][2]string{{"ConfigMap", "cluster-config"}}, map[string]bool{"flux-system": true}},
		{"configMap.name", `{configMap: {name: settings}}`,
			[][2]string{{"ConfigMap", "settings"}}, map[string]bool{"flux-system": true}},
		{"lists and a selector", `
configMaps: [{name: cluster-config, create: false}]
secrets: [{name: cluster-secrets}]
webhook:
  namespaceSelector:
    matchExpressions:
      - {key: kubernetes.io/metadata.name, operator: NotIn, values: [flux-system, kube-system]}
      - {key: tier, operator: In, values: [apps]}
`, [][2]string{{"ConfigMap", "cluster-config"}, {"Secret", "cluster-secrets"}},
			map[string]bool{"flux-system": true, "kube-system": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var values map[string]any
			if err := yaml.Unmarshal([]byte(tt.values), &values); err != nil {
				t.Fatal(err)
			}
			w := webhookFromValues(values, "flux-system")
			if !reflect.DeepEqual(w.sources, tt.sources) || !reflect.DeepEqual(w.excluded, tt.excluded) {
				t.Errorf("sources %v excluded %v, want %v %v", w.sources, w.excluded, tt.sources, tt.excluded)
			}
		})
	}
}

func TestWithSubstituteOverridesAndCopies(t *testing.T) {
	ks := map[string]any{"spec": map[string]any{"postBuild": map[string]any{"substitute": map[string]any{"APP": "web", "DOMAIN": "old"}}}}
	got := withSubstitute(ks, map[string]any{"DOMAIN": "example.com"})
	want := map[string]any{"APP": "web", "DOMAIN": "example.com"}
	if sub := value(got, "spec", "postBuild", "substitute"); !reflect.DeepEqual(sub, want) {
		t.Errorf("substitute = %v, want %v", sub, want)
	}
	if value(ks, "spec", "postBuild", "substitute", "DOMAIN") != "old" {
		t.Error("the Kustomization's own content was changed")
	}
}
