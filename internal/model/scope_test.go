package model_test

import (
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

func crd(kind, scope string) *model.Object {
	return &model.Object{
		Ref: finding.ObjectRef{APIVersion: "apiextensions.k8s.io/v1", Kind: "CustomResourceDefinition", Name: kind + ".example.com"},
		Content: map[string]any{"spec": map[string]any{
			"group": "example.com", "scope": scope, "names": map[string]any{"kind": kind},
		}},
	}
}

func TestScope(t *testing.T) {
	scope := model.NewScope([]*model.Object{
		crd("Fleet", "Cluster"),
		crd("App", "Namespaced"),
		// A second CRD of one group and kind does not change the first's
		// scope.
		crd("Fleet", "Namespaced"),
	})
	cases := []struct {
		name, apiVersion, kind string
		want                   bool
	}{
		{name: "built-in cluster-scoped", apiVersion: "v1", kind: "Namespace", want: true},
		{name: "built-in namespaced", apiVersion: "v1", kind: "ConfigMap", want: false},
		{name: "well-known custom resource", apiVersion: "cert-manager.io/v1", kind: "ClusterIssuer", want: true},
		{name: "known to both former tables", apiVersion: "flowcontrol.apiserver.k8s.io/v1", kind: "FlowSchema", want: true},
		{name: "CRD of scope Cluster", apiVersion: "example.com/v1", kind: "Fleet", want: true},
		{name: "CRD of scope Namespaced", apiVersion: "example.com/v1", kind: "App", want: false},
		{name: "CRD of another group", apiVersion: "other.example.com/v1", kind: "Fleet", want: false},
		{name: "unknown kind", apiVersion: "example.com/v1", kind: "Widget", want: false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := scope.ClusterScoped(c.apiVersion, c.kind); got != c.want {
				t.Errorf("ClusterScoped(%q, %q) = %v, want %v", c.apiVersion, c.kind, got, c.want)
			}
		})
	}
	var none *model.Scope
	if none.ClusterScoped("example.com/v1", "Fleet") || !none.ClusterScoped("v1", "Node") {
		t.Error("a nil scope knows the table only")
	}
}

func TestScopeAddsAsRendered(t *testing.T) {
	scope := model.NewScope(nil)
	if scope.ClusterScoped("example.com/v1", "Fleet") {
		t.Fatal("no CRD yet")
	}
	scope.Add(&model.Object{Ref: finding.ObjectRef{APIVersion: "v1", Kind: "ConfigMap", Name: "x"}})
	scope.Add(crd("Fleet", "Cluster"))
	if !scope.ClusterScoped("example.com/v1beta1", "Fleet") {
		t.Error("the CRD added later is read")
	}
}

func TestHasGap(t *testing.T) {
	ks := finding.ObjectRef{APIVersion: "kustomize.toolkit.fluxcd.io/v1", Kind: "Kustomization", Namespace: "flux-system", Name: "apps"}
	c := &model.Cluster{Gaps: []model.Gap{{Object: ks, Kind: model.NotBuilt, Rule: "render-kustomize-build"}}}
	if !c.HasGap(model.NotBuilt, ks) {
		t.Error("the gap is found")
	}
	if c.HasGap(model.ValuesUnresolved, ks) {
		t.Error("a gap of another kind is not")
	}
}
