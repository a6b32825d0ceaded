package render

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

func TestFakeClientServesConfigMapsAndSecrets(t *testing.T) {
	c := FakeClient([]*model.Object{
		{Ref: finding.ObjectRef{APIVersion: "v1", Kind: "ConfigMap", Namespace: "ns", Name: "vars"}, Content: map[string]any{"data": map[string]any{"a": "1"}}},
		{Ref: finding.ObjectRef{APIVersion: "v1", Kind: "Secret", Namespace: "ns", Name: "vars"}, Content: map[string]any{"data": map[string]any{"b": "Mg=="}, "stringData": map[string]any{"c": "3"}}},
		{Ref: finding.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "ns", Name: "vars"}},
	})
	ctx := context.Background()
	var cm corev1.ConfigMap
	if err := c.Get(ctx, client.ObjectKey{Namespace: "ns", Name: "vars"}, &cm); err != nil || cm.Data["a"] != "1" || cm.Name != "vars" {
		t.Fatalf("ConfigMap: %v %+v", err, cm)
	}
	var sec corev1.Secret
	if err := c.Get(ctx, client.ObjectKey{Namespace: "ns", Name: "vars"}, &sec); err != nil || string(sec.Data["b"]) != "2" || string(sec.Data["c"]) != "3" {
		t.Fatalf("Secret: %v %+v", err, sec)
	}
	if err := c.Get(ctx, client.ObjectKey{Namespace: "other", Name: "vars"}, &cm); !apierrors.IsNotFound(err) {
		t.Fatalf("missing ConfigMap: err %v, want NotFound", err)
	}
}
