package xref

import (
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// kubeletServiceFlag is the prometheus-operator flag that names the
// Service it keeps for the kubelets (namespace/name).
const kubeletServiceFlag = "--kubelet-service="

// clusterServices returns the Services that the cluster makes rather than
// the repository, as monitor candidates: the API server's Service
// kubernetes in default (labels component=apiserver and
// provider=kubernetes, port https), and the kubelets' Service that a
// rendered prometheus-operator keeps where its --kubelet-service flag says
// (pkg/kubelet/controller.go: labels k8s-app=kubelet,
// app.kubernetes.io/name=kubelet and app.kubernetes.io/managed-by=
// prometheus-operator, ports https-metrics, http-metrics and cadvisor),
// which kube-prometheus-stack turns on by default.
func (r *reporter) clusterServices() []labeled {
	api := &model.Object{Ref: finding.ObjectRef{APIVersion: "v1", Kind: "Service", Namespace: "default", Name: "kubernetes"}}
	out := []labeled{{obj: api, labels: map[string]string{"component": "apiserver", "provider": "kubernetes"}, ports: map[string]bool{"https": true}}}
	for _, arg := range r.podArgs() {
		ns, name, ok := strings.Cut(strings.TrimPrefix(arg, kubeletServiceFlag), "/")
		if !strings.HasPrefix(arg, kubeletServiceFlag) || !ok || ns == "" || name == "" {
			continue
		}
		svc := &model.Object{Ref: finding.ObjectRef{APIVersion: "v1", Kind: "Service", Namespace: ns, Name: name}}
		out = append(out, labeled{obj: svc,
			labels: map[string]string{"k8s-app": "kubelet", "app.kubernetes.io/name": "kubelet", "app.kubernetes.io/managed-by": "prometheus-operator"},
			ports:  map[string]bool{"https-metrics": true, "http-metrics": true, "cadvisor": true}})
	}
	return out
}

// podArgs returns the arguments of the containers of the rendered pod
// templates.
func (r *reporter) podArgs() []string {
	var out []string
	for _, p := range r.ix.pods {
		spec := podSpecPath(p.obj)
		if spec == nil {
			continue
		}
		for _, c := range listAt(p.obj.Content, append(spec, "containers")...) {
			for _, a := range listAt(asMap(c), "args") {
				if s, ok := a.(string); ok {
					out = append(out, s)
				}
			}
		}
	}
	return out
}
