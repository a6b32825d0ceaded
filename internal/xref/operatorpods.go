package xref

import (
	"maps"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// cnpgGroup is the API group of CloudNativePG's kinds.
const cnpgGroup = "postgresql.cnpg.io"

// operatorPods returns the pod templates that an operator gives the pods
// it runs for one of its objects, so that Service selectors, PodMonitors
// and NetworkPolicies that select them are checked: a CloudNativePG
// Cluster's instances are labelled cnpg.io/cluster=<name>,
// cnpg.io/podRole=instance and, as primary or replica, cnpg.io/instanceRole
// and the older role (pkg/utils/labels_annotations.go, pkg/specs/pods.go),
// with the labels of its spec.inheritedMetadata; a Pooler's pods
// cnpg.io/poolerName=<name> and cnpg.io/podRole=pooler.
func operatorPods(o *model.Object) []*podTemplate {
	if model.Group(o.Ref.APIVersion) != cnpgGroup || o.Ref.Namespace == "" {
		return nil
	}
	inherited := stringMap(o.Content, "spec", "inheritedMetadata", "labels")
	pod := func(labels map[string]string, ports ...string) *podTemplate {
		all := maps.Clone(inherited)
		if all == nil {
			all = map[string]string{}
		}
		maps.Copy(all, labels)
		p := &podTemplate{obj: o, namespace: o.Ref.Namespace, labels: all, ports: map[string]bool{}}
		for _, n := range ports {
			p.ports[n] = true
		}
		return p
	}
	switch o.Ref.Kind {
	case "Cluster":
		var out []*podTemplate
		for _, role := range []string{"primary", "replica"} {
			out = append(out, pod(map[string]string{
				"cnpg.io/cluster": o.Ref.Name, "cnpg.io/podRole": "instance", "cnpg.io/instanceRole": role, "role": role,
			}, "postgresql", "metrics", "status"))
		}
		return out
	case "Pooler":
		return []*podTemplate{pod(map[string]string{"cnpg.io/poolerName": o.Ref.Name, "cnpg.io/podRole": "pooler"}, "pgbouncer", "metrics")}
	}
	return nil
}

// fluxPods returns the pod templates of Flux's controllers in a namespace,
// for a cluster whose controllers are installed outside its renders (flux
// bootstrap, Flux Operator): each controller's Deployment labels its pods
// app=<controller>, app.kubernetes.io/part-of=flux,
// app.kubernetes.io/component=<controller> and control-plane=controller,
// with the container ports http, http-prom, healthz and (the receiver of
// notification-controller) http-webhook, as in the manifests flux2
// releases.
func fluxPods(namespace string) []*podTemplate {
	controllers := append(append([]string(nil), fluxControllers...), optionalControllers...)
	out := make([]*podTemplate, 0, len(controllers))
	for _, c := range controllers {
		deployment := &model.Object{Ref: finding.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: namespace, Name: c}}
		out = append(out, &podTemplate{obj: deployment, namespace: namespace,
			labels: map[string]string{"app": c, "app.kubernetes.io/part-of": "flux", "app.kubernetes.io/component": c, "control-plane": "controller"},
			ports:  map[string]bool{"http": true, "http-prom": true, "healthz": true, "http-webhook": true}})
	}
	return out
}
