package xref

import (
	"fmt"
	"slices"
)

// controlPlaneComponents are the control plane's static pods in
// kube-system, labelled tier=control-plane and component=<name> by kubeadm,
// k8s-app=<name> by Talos: no repository holds them, but Services select
// them (a kube-apiserver VIP, metrics of the scheduler).
var controlPlaneComponents = []string{"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"}

// kubeadmAddons are the k8s-app labels of the pods of the add-ons that
// kubeadm, k3s and most distributions install in kube-system themselves:
// CoreDNS (labelled k8s-app=kube-dns, the name the DNS Service kept) and
// kube-proxy. Monitoring charts select them (kube-prometheus-stack's
// coredns and kube-proxy Services).
var kubeadmAddons = []string{"kube-dns", "kube-proxy"}

// staticPodLabels returns the labels of the control plane's static pods of
// a namespace: none outside kube-system.
func staticPodLabels(namespace string) []map[string]string {
	if namespace != "kube-system" {
		return nil
	}
	out := make([]map[string]string, 0, 2*len(controlPlaneComponents)+len(kubeadmAddons))
	for _, c := range controlPlaneComponents {
		out = append(out, map[string]string{"component": c, "tier": "control-plane"}, map[string]string{"k8s-app": c, "tier": "control-plane"})
	}
	for _, a := range kubeadmAddons {
		out = append(out, map[string]string{"k8s-app": a})
	}
	return out
}

// selectsStaticPod reports whether a selector matches a static pod of the
// control plane.
func selectsStaticPod(namespace string, sel map[string]string) bool {
	for _, labels := range staticPodLabels(namespace) {
		if matchesLabels(labels, sel) {
			return true
		}
	}
	return false
}

// matchesLabels reports whether labels have every label of a selector.
func matchesLabels(labels, sel map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// selectorTypo returns a label of a selector that matches nothing whose
// value is one typo off the value the namespace's pod templates, or the
// control plane's static pods, give that key, with that value; "" when
// there is none.
func (r *reporter) selectorTypo(namespace string, sel map[string]string) (key, near string) {
	known := map[string][]string{}
	for _, p := range r.ix.pods {
		if p.namespace == namespace {
			for k, v := range p.labels {
				known[k] = append(known[k], v)
			}
		}
	}
	for _, labels := range staticPodLabels(namespace) {
		for k, v := range labels {
			known[k] = append(known[k], v)
		}
	}
	for _, k := range sortedKeys(sel) {
		values := known[k]
		if slices.Contains(values, sel[k]) {
			continue
		}
		slices.Sort(values)
		for _, v := range values {
			if typoOf(sel[k], v) {
				return k, v
			}
		}
	}
	return "", ""
}

// selectorNearMiss reports, as a warning, a Service selector that matches
// no pod template where pods fluxlint does not render may exist, when one
// of its values is one typo off a value pods of the namespace have.
func (r *reporter) selectorNearMiss(path []string, o ref, sel map[string]string) {
	k, near := r.selectorTypo(o.obj.Ref.Namespace, sel)
	if near == "" {
		return
	}
	o.path = append(path, k)
	r.report(o, fmt.Sprintf("the selector %s matches no pod template in namespace %s, while pods there have %s: %s: a misspelling? (pods that fluxlint does not render may still match)",
		labelString(sel), o.obj.Ref.Namespace, k, near), fmt.Sprintf("did you mean %s: %s?", k, near))
}
