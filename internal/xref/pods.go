package xref

import (
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// podSpecPath returns the path of the pod spec of a workload, or nil.
func podSpecPath(o *model.Object) []string {
	group := o.Ref.APIVersion
	switch o.Ref.Kind {
	case "Pod":
		if group == "v1" {
			return []string{"spec"}
		}
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController":
		return []string{"spec", "template", "spec"}
	case "CronJob":
		return []string{"spec", "jobTemplate", "spec", "template", "spec"}
	}
	return nil
}

// A podTemplate is the part of a workload that selectors and Services see.
type podTemplate struct {
	obj       *model.Object
	namespace string
	labels    map[string]string
	// ports maps container port names to true.
	ports map[string]bool
	// named holds the words its containers' arguments and environment
	// values give (argumentNames).
	named map[string]bool
}

func podTemplateOf(o *model.Object) *podTemplate {
	spec := podSpecPath(o)
	if spec == nil {
		return nil
	}
	meta := append(spec[:len(spec)-1:len(spec)-1], "metadata", "labels")
	if o.Ref.Kind == "Pod" {
		meta = []string{"metadata", "labels"}
	}
	p := &podTemplate{obj: o, namespace: o.Ref.Namespace, labels: stringMap(o.Content, meta...), ports: map[string]bool{}, named: map[string]bool{}}
	for _, list := range []string{"containers", "initContainers"} {
		for _, c := range listAt(o.Content, append(spec, list)...) {
			for _, port := range listAt(asMap(c), "ports") {
				if n := str(asMap(port), "name"); n != "" {
					p.ports[n] = true
				}
			}
			argumentNames(asMap(c), p.named)
		}
	}
	return p
}

// argumentNames adds to names the words a container's command, arguments
// and environment values give: a whole argument, or the value of a
// --flag=value one. A program told a Secret's name so (a certificate
// generator's --secret-name=X, MetalLB's METALLB_ML_SECRET_NAME) may make
// that Secret at run time.
func argumentNames(c map[string]any, names map[string]bool) {
	add := func(v any) {
		s, _ := v.(string)
		if _, after, ok := strings.Cut(s, "="); ok && strings.HasPrefix(s, "-") {
			s = after
		}
		if s != "" && !strings.ContainsAny(s, " /$") {
			names[s] = true
		}
	}
	for _, field := range []string{"command", "args"} {
		list, _ := c[field].([]any)
		for _, a := range list {
			add(a)
		}
	}
	for _, e := range listAt(c, "env") {
		add(asMap(e)["value"])
	}
}

// checkPodSpec checks the references of a pod spec.
func (r *reporter) checkPodSpec(o *model.Object, spec []string) {
	ns := o.Ref.Namespace
	for _, f := range []string{"serviceAccountName", "serviceAccount"} {
		r.resolve(ref{obj: o, path: join(spec, f), kind: "ServiceAccount", namespace: ns,
			name: str(o.Content, join(spec, f)...), rule: RuleServiceAccountMissing, what: f})
	}
	for i, s := range listAt(o.Content, join(spec, "imagePullSecrets")...) {
		r.resolve(ref{obj: o, path: join(spec, "imagePullSecrets", i, "name"), kind: "Secret", namespace: ns,
			name: str(asMap(s), "name"), rule: RuleSecretMissing, severity: finding.Warning, severityOverridden: true,
			what: "imagePullSecrets"})
	}
	for _, list := range []string{"containers", "initContainers", "ephemeralContainers"} {
		for i, c := range listAt(o.Content, join(spec, list)...) {
			r.checkContainer(o, join(spec, list, i), asMap(c))
		}
	}
	for i, v := range listAt(o.Content, join(spec, "volumes")...) {
		r.checkVolume(o, join(spec, "volumes", i), asMap(v))
	}
}

// A kindField pairs a referenced kind with the field that names it.
type kindField struct{ kind, field string }

// checkContainer checks env valueFrom and envFrom references.
func (r *reporter) checkContainer(o *model.Object, path []string, c map[string]any) {
	ns := o.Ref.Namespace
	for i, e := range listAt(c, "env") {
		for _, kf := range [...]kindField{{"ConfigMap", "configMapKeyRef"}, {"Secret", "secretKeyRef"}} {
			kind, field := kf.kind, kf.field
			kr := mapAt(asMap(e), "valueFrom", field)
			if kr == nil {
				continue
			}
			base := join(path, "env", i, "valueFrom", field)
			rf := ref{obj: o, path: join(base, "name"), kind: kind, namespace: ns, name: str(kr, "name"),
				optional: boolAt(kr, "optional"), rule: ruleFor(kind), what: "env " + str(asMap(e), "name") + " " + field}
			r.key(rf, r.resolve(rf), str(kr, "key"), join(base, "key"))
		}
	}
	for i, e := range listAt(c, "envFrom") {
		for _, kf := range [...]kindField{{"ConfigMap", "configMapRef"}, {"Secret", "secretRef"}} {
			kind, field := kf.kind, kf.field
			fr := mapAt(asMap(e), field)
			if fr == nil {
				continue
			}
			r.resolve(ref{obj: o, path: join(path, "envFrom", i, field, "name"), kind: kind, namespace: ns,
				name: str(fr, "name"), optional: boolAt(fr, "optional"), rule: ruleFor(kind), what: "envFrom " + field})
		}
	}
}

// checkVolume checks a volume's ConfigMap, Secret, projected, CSI and
// PersistentVolumeClaim references.
func (r *reporter) checkVolume(o *model.Object, path []string, v map[string]any) {
	ns := o.Ref.Namespace
	if cm := mapAt(v, "configMap"); cm != nil {
		r.withItems(ref{obj: o, path: join(path, "configMap", "name"), kind: "ConfigMap", namespace: ns, name: str(cm, "name"),
			optional: boolAt(cm, "optional"), rule: RuleConfigMapMissing, what: "volume " + str(v, "name")}, cm, join(path, "configMap"))
	}
	if s := mapAt(v, "secret"); s != nil {
		r.withItems(ref{obj: o, path: join(path, "secret", "secretName"), kind: "Secret", namespace: ns, name: str(s, "secretName"),
			optional: boolAt(s, "optional"), rule: RuleSecretMissing, what: "volume " + str(v, "name")}, s, join(path, "secret"))
	}
	for i, src := range listAt(v, "projected", "sources") {
		for _, kf := range [...]kindField{{"ConfigMap", "configMap"}, {"Secret", "secret"}} {
			kind, field := kf.kind, kf.field
			m := mapAt(asMap(src), field)
			if m == nil {
				continue
			}
			base := join(path, "projected", "sources", i, field)
			r.withItems(ref{obj: o, path: join(base, "name"), kind: kind, namespace: ns, name: str(m, "name"),
				optional: boolAt(m, "optional"), rule: ruleFor(kind), what: "projected volume " + str(v, "name")}, m, base)
		}
	}
	r.resolve(ref{obj: o, path: join(path, "csi", "nodePublishSecretRef", "name"), kind: "Secret", namespace: ns,
		name: str(v, "csi", "nodePublishSecretRef", "name"), rule: RuleSecretMissing, what: "CSI volume " + str(v, "name")})
	r.resolve(ref{obj: o, path: join(path, "persistentVolumeClaim", "claimName"), kind: "PersistentVolumeClaim", namespace: ns,
		name: str(v, "persistentVolumeClaim", "claimName"), rule: RulePVCMissing, what: "volume " + str(v, "name")})
}

// withItems resolves a volume source and checks the keys of its items.
func (r *reporter) withItems(rf ref, src map[string]any, base []string) {
	e := r.resolve(rf)
	for i, it := range listAt(src, "items") {
		r.key(rf, e, str(asMap(it), "key"), join(base, "items", i, "key"))
	}
}
