package render

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/fluxlint/fluxlint/internal/model"
)

// objectClient serves the rendered ConfigMaps and Secrets of a cluster to
// Flux library code that reads them from a live cluster: substitution
// (substituteFrom) and HelmRelease values (valuesFrom), both of which only
// Get. Any other call is a bug in fluxlint and panics on the nil embedded
// client (renders recover from panics and report them). controller-runtime's
// fake client did the same job at a cost of milliseconds a build.
type objectClient struct {
	client.Client
	objects map[string]*model.Object
}

func objectKey(kind, namespace, name string) string { return kind + "/" + namespace + "/" + name }

// FakeClient returns a client that serves the given rendered ConfigMaps
// and Secrets; objects of other kinds are left out.
func FakeClient(objs []*model.Object) client.Client {
	c := &objectClient{objects: map[string]*model.Object{}}
	for _, o := range objs {
		if o.Ref.APIVersion == "v1" && (o.Ref.Kind == "ConfigMap" || o.Ref.Kind == "Secret") {
			c.objects[objectKey(o.Ref.Kind, o.Ref.Namespace, o.Ref.Name)] = o
		}
	}
	return c
}

// Get fills a ConfigMap or a Secret, or returns a NotFound error as the
// API server would.
func (c *objectClient) Get(_ context.Context, key client.ObjectKey, obj client.Object, _ ...client.GetOption) error {
	var kind, resource string
	switch obj.(type) {
	case *corev1.ConfigMap:
		kind, resource = "ConfigMap", "configmaps"
	case *corev1.Secret:
		kind, resource = "Secret", "secrets"
	default:
		return fmt.Errorf("fluxlint serves only ConfigMaps and Secrets, not %T", obj)
	}
	o := c.objects[objectKey(kind, key.Namespace, key.Name)]
	if o == nil {
		return apierrors.NewNotFound(schema.GroupResource{Resource: resource}, key.Name)
	}
	switch dst := obj.(type) {
	case *corev1.ConfigMap:
		*dst = *typedObject(o).(*corev1.ConfigMap)
	case *corev1.Secret:
		*dst = *typedObject(o).(*corev1.Secret)
	}
	return nil
}
