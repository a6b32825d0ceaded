package xref

import (
	"fmt"
	"slices"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// checkWorkloadRefs checks HorizontalPodAutoscalers, PodDisruptionBudgets,
// NetworkPolicies and role bindings.
func (r *reporter) checkWorkloadRefs(o *model.Object) {
	switch o.Ref.Kind {
	case "HorizontalPodAutoscaler":
		t := mapAt(o.Content, "spec", "scaleTargetRef")
		r.resolve(ref{obj: o, path: []string{"spec", "scaleTargetRef", "name"}, kind: str(t, "kind"), namespace: o.Ref.Namespace,
			name: str(t, "name"), rule: RuleObjectMissing, what: "scaleTargetRef"})
	case "PodDisruptionBudget":
		r.selectorMatches(o, []string{"spec", "selector"}, "the PodDisruptionBudget protects nothing")
	case "NetworkPolicy":
		r.selectorMatches(o, []string{"spec", "podSelector"}, "the NetworkPolicy applies to no pod")
	case "RoleBinding", "ClusterRoleBinding":
		r.checkBinding(o)
	case "ServiceAccount":
		r.serviceAccountSecrets(o)
	}
}

// serviceAccountSecrets checks the Secrets a ServiceAccount lends its pods:
// imagePullSecrets (a warning, as in a pod spec: the kubelet pulls without
// a missing one) and the legacy secrets list.
func (r *reporter) serviceAccountSecrets(o *model.Object) {
	if model.Group(o.Ref.APIVersion) != "" {
		return
	}
	for i, s := range listAt(o.Content, "imagePullSecrets") {
		r.resolve(ref{obj: o, path: []string{"imagePullSecrets", itoa(i), "name"}, kind: "Secret", namespace: o.Ref.Namespace,
			name: str(asMap(s), "name"), rule: RuleSecretMissing, severity: finding.Warning, severityOverridden: true,
			what: "imagePullSecrets"})
	}
}

// selectorMatches warns when a label selector that selects something
// matches no pod template of the object's namespace.
func (r *reporter) selectorMatches(o *model.Object, path []string, consequence string) {
	sel := mapAt(o.Content, path...)
	if len(mapAt(sel, "matchLabels")) == 0 && len(listAt(sel, "matchExpressions")) == 0 {
		return // an empty selector selects every pod
	}
	if r.ix.unknownWhy("Pod", o.Ref.Namespace) != "" || r.ix.operatorPodsIn(o.Ref.Namespace) {
		return
	}
	for _, p := range r.ix.pods {
		if p.namespace == o.Ref.Namespace && selects(sel, p.labels) {
			return
		}
	}
	r.report(ref{obj: o, path: path, rule: RuleSelectorNoMatch},
		fmt.Sprintf("the selector matches no pod template in namespace %s: %s", o.Ref.Namespace, consequence),
		r.closestLabels(o.Ref.Namespace, stringMap(sel, "matchLabels")))
}

// selects reports whether a metav1.LabelSelector matches labels.
func selects(sel map[string]any, labels map[string]string) bool {
	for k, v := range stringMap(sel, "matchLabels") {
		if labels[k] != v {
			return false
		}
	}
	for _, e := range listAt(sel, "matchExpressions") {
		m := asMap(e)
		var values []string
		for _, v := range listAt(m, "values") {
			if s, ok := v.(string); ok {
				values = append(values, s)
			}
		}
		v, has := labels[str(m, "key")]
		ok := true
		switch str(m, "operator") {
		case "In":
			ok = has && slices.Contains(values, v)
		case "NotIn":
			ok = !has || !slices.Contains(values, v)
		case "Exists":
			ok = has
		case "DoesNotExist":
			ok = !has
		}
		if !ok {
			return false
		}
	}
	return true
}

// checkBinding checks a binding's roleRef and its ServiceAccount subjects.
// In a cluster that a kubeConfig reaches, a subject that is a
// ServiceAccount of the cluster applying it is not looked for: RBAC
// matches a ServiceAccount subject by its user name, which a token of that
// ServiceAccount carries into the remote cluster when the remote cluster
// trusts its issuer (Flux Operator's workload identity for remote
// clusters), without an object of that name there.
func (r *reporter) checkBinding(o *model.Object) {
	kind := str(o.Content, "roleRef", "kind")
	ns := o.Ref.Namespace
	if kind == "ClusterRole" {
		ns = ""
	}
	r.resolve(ref{obj: o, path: []string{"roleRef", "name"}, kind: kind, namespace: ns,
		name: str(o.Content, "roleRef", "name"), rule: RuleObjectMissing, what: "roleRef"})
	for i, s := range listAt(o.Content, "subjects") {
		m := asMap(s)
		if str(m, "kind") != "ServiceAccount" {
			continue
		}
		namespace := orDefault(str(m, "namespace"), o.Ref.Namespace)
		if o.Target != "" && r.applierHas("ServiceAccount", namespace, str(m, "name")) {
			continue
		}
		if fluxInstallBinding(o) && (slices.Contains(fluxControllers, str(m, "name")) || slices.Contains(optionalControllers, str(m, "name"))) {
			continue
		}
		r.resolve(ref{obj: o, path: []string{"subjects", itoa(i), "name"}, kind: "ServiceAccount",
			namespace: namespace, name: str(m, "name"),
			rule: RuleServiceAccountMissing, severity: finding.Warning, severityOverridden: true, what: "subjects"})
	}
}

// fluxInstallBinding reports whether a binding is one of Flux's install
// manifests (labelled app.kubernetes.io/part-of: flux, as flux bootstrap
// and flux install write them): they bind every controller's
// ServiceAccount, whichever of the controllers --components installs, so
// a binding to one that is not installed is Flux's, and harmless.
func fluxInstallBinding(o *model.Object) bool {
	return str(o.Content, "metadata", "labels", "app.kubernetes.io/part-of") == "flux"
}

// applierHas reports whether the cluster that applies the objects of the
// other clusters (the one whose kubeConfigs reach them) may have an object.
func (r *reporter) applierHas(kind, namespace, name string) bool {
	hub := r.indexes[""]
	if hub == nil {
		return false
	}
	_, st := hub.lookup(kind, namespace, name)
	return st != missing
}
