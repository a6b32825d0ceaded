package schema

import (
	"slices"
	"testing"
)

func TestKubernetesAPIs(t *testing.T) {
	apis, err := KubernetesAPIs("1.37")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"v1", "v1/Pod", "policy/v1", "policy/v1/PodDisruptionBudget", "networking.k8s.io/v1/Ingress", "autoscaling/v2/HorizontalPodAutoscaler"} {
		if !slices.Contains(apis, want) {
			t.Errorf("KubernetesAPIs lacks %q", want)
		}
	}
	for _, not := range []string{"v1/PodList", "v1/Status", "policy/v1beta1/PodDisruptionBudget", "resource.k8s.io/v1beta1/ResourceClaim"} {
		if slices.Contains(apis, not) {
			t.Errorf("KubernetesAPIs has %q", not)
		}
	}
	if _, err := KubernetesAPIs("0.1"); err == nil {
		t.Error("KubernetesAPIs of an unknown version: no error")
	}
}
