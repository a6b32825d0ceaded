package render

import (
	"reflect"
	"testing"

	"sigs.k8s.io/yaml"
)

// TestTargetPatches pins which patches get a target: inline
// strategic-merge patches without one, a document each; not a patch with a
// target, one read from a file, nor a JSON 6902 patch.
func TestTargetPatches(t *testing.T) {
	in := `
patchesStrategicMerge:
  - patch.yaml
  - |-
    apiVersion: v1
    kind: Service
    metadata:
      name: svc
patches:
  - path: file.yaml
  - patch: |-
      - op: add
        path: /x
        value: 1
  - patch: |-
      apiVersion: v1
      kind: Namespace
      metadata:
        name: ns
    target:
      kind: Namespace
  - patch: |-
      apiVersion: storage.k8s.io/v1
      kind: StorageClass
      metadata:
        name: sc
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: cm
        namespace: ns
    options:
      allowNameChange: true
`
	want := `
patchesStrategicMerge:
  - patch.yaml
patches:
  - patch: "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc"
    target: {kind: Service, name: svc, version: v1}
  - path: file.yaml
  - patch: "- op: add\n  path: /x\n  value: 1"
  - patch: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns"
    target: {kind: Namespace}
  - patch: "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: sc"
    target: {group: storage.k8s.io, version: v1, kind: StorageClass, name: sc}
    options: {allowNameChange: true}
  - patch: "\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: ns"
    target: {version: v1, kind: ConfigMap, name: cm, namespace: ns}
    options: {allowNameChange: true}
`
	var got, exp map[string]any
	if err := yaml.Unmarshal([]byte(in), &got); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatal(err)
	}
	targetPatches(got)
	if !reflect.DeepEqual(got, exp) {
		g, _ := yaml.Marshal(got)
		t.Errorf("targetPatches gave\n%s", g)
	}
}
