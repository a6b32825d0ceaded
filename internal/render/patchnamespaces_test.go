package render

import (
	"reflect"
	"testing"
)

func TestPatchNamespaces(t *testing.T) {
	data := []byte(`apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - https://github.com/example/controller?ref=v1
patches:
  - target:
      kind: Deployment
      name: controller
      namespace: controller-system
    patch: |
      - op: replace
        path: /spec/replicas
        value: 2
  - target:
      kind: Namespace
      name: old-system
    patch: |
      $patch: delete
      apiVersion: v1
      kind: Namespace
      metadata:
        name: old-system
  - target:
      namespace: ${NAMESPACE}
    path: patch.yaml
patchesStrategicMerge:
  - |
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: settings
      namespace: controller-system
  - patch-file.yaml
`)
	fields := kustomizationFieldsOf(data)
	if fields == nil {
		t.Fatal("kustomization does not decode")
	}
	want := []string{"controller-system", "old-system"}
	if !reflect.DeepEqual(fields.PatchNamespaces, want) {
		t.Errorf("PatchNamespaces = %v, want %v", fields.PatchNamespaces, want)
	}
}
