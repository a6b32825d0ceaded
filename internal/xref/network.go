package xref

import (
	"fmt"
	"strconv"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// tailscaleIngressClass is the IngressClass whose Ingresses Tailscale's
// operator serves (cmd/k8s-operator/ingress.go): only of that exact name.
const tailscaleIngressClass = "tailscale"

// checkNetwork checks Services, StatefulSets' serviceName, Ingresses and
// Gateway API objects.
func (r *reporter) checkNetwork(o *model.Object) {
	switch o.Ref.Kind {
	case "Service":
		r.checkService(o)
	case "StatefulSet":
		rf := ref{obj: o, path: []string{"spec", "serviceName"}, kind: "Service", namespace: o.Ref.Namespace,
			name: str(o.Content, "spec", "serviceName"), rule: RuleServiceMissing, what: "serviceName",
			severity: finding.Warning, severityOverridden: true}
		r.resolve(rf)
	case "Ingress":
		r.checkIngress(o)
	case "HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute", "UDPRoute":
		r.checkRoute(o)
	case "Gateway":
		r.checkGateway(o)
	}
}

// matching returns the pod templates of a namespace whose labels a
// selector (a map of labels) matches.
func (r *reporter) matching(namespace string, selector map[string]string) []*podTemplate {
	var out []*podTemplate
	for _, p := range r.ix.pods {
		if p.namespace != namespace {
			continue
		}
		if matchesLabels(p.labels, selector) {
			out = append(out, p)
		}
	}
	return out
}

// checkService checks that the selector matches a pod template and that a
// named targetPort exists on one.
func (r *reporter) checkService(o *model.Object) {
	sel := stringMap(o.Content, "spec", "selector")
	if len(sel) == 0 || str(o.Content, "spec", "type") == "ExternalName" {
		return
	}
	pods := r.matching(o.Ref.Namespace, sel)
	if len(pods) == 0 {
		switch {
		case selectsStaticPod(o.Ref.Namespace, sel):
		case r.ix.unknownWhy("Pod", o.Ref.Namespace) == "" && !r.ix.operatorPodsIn(o.Ref.Namespace):
			r.report(ref{obj: o, path: []string{"spec", "selector", r.strayLabel(o.Ref.Namespace, sel)}, rule: RuleSelectorNoMatch},
				fmt.Sprintf("the selector %s matches no pod template in namespace %s: the Service has no endpoints", labelString(sel), o.Ref.Namespace),
				r.closestLabels(o.Ref.Namespace, sel))
		default:
			r.selectorNearMiss([]string{"spec", "selector"}, ref{obj: o, rule: RuleSelectorNoMatch}, sel)
		}
		return
	}
	for i, p := range listAt(o.Content, "spec", "ports") {
		tp, ok := asMap(p)["targetPort"].(string)
		if !ok || tp == "" {
			continue
		}
		if _, err := strconv.Atoi(tp); err == nil {
			continue
		}
		if !anyPort(pods, tp) {
			r.report(ref{obj: o, path: []string{"spec", "ports", itoa(i), "targetPort"}, rule: RulePortMissing},
				fmt.Sprintf("targetPort %q is not a named container port of the pods the Service selects (%s)", tp, pods[0].obj.Ref),
				portHint(tp, pods))
		}
	}
}

func anyPort(pods []*podTemplate, name string) bool {
	for _, p := range pods {
		if p.ports[name] {
			return true
		}
	}
	return false
}

func portHint(name string, pods []*podTemplate) string {
	var names []string
	for _, p := range pods {
		for n := range p.ports {
			names = append(names, n)
		}
	}
	if c := closest(name, names); c != "" {
		return "did you mean " + c + "?"
	}
	return ""
}

// strayLabel returns the label of a selector that matches none that most
// likely needs the edit: one whose key a pod template of the namespace has
// with another value, else the first whose key none has, else the first.
func (r *reporter) strayLabel(namespace string, sel map[string]string) string {
	keys := sortedKeys(sel)
	missingKey := ""
	for _, k := range keys {
		has := false
		for _, p := range r.ix.pods {
			if p.namespace != namespace {
				continue
			}
			if pv, ok := p.labels[k]; ok {
				has = true
				if pv != sel[k] {
					return k
				}
			}
		}
		if !has && missingKey == "" {
			missingKey = k
		}
	}
	if missingKey != "" {
		return missingKey
	}
	return keys[0]
}

// closestLabels names the pod template whose labels are closest to a
// selector that matches none.
func (r *reporter) closestLabels(namespace string, sel map[string]string) string {
	for _, p := range r.ix.pods {
		if p.namespace != namespace {
			continue
		}
		for k, v := range sel {
			if pv, ok := p.labels[k]; ok && pv != v && closest(v, []string{pv}) != "" {
				return fmt.Sprintf("did you mean %s: %s (the labels of %s)?", k, pv, p.obj.Ref)
			}
		}
	}
	return ""
}

func labelString(sel map[string]string) string {
	keys := sortedKeys(sel)
	s := ""
	for i, k := range keys {
		if i > 0 {
			s += ","
		}
		s += k + "=" + sel[k]
	}
	return s
}

// checkIngress checks an Ingress's backends, TLS Secrets and class.
func (r *reporter) checkIngress(o *model.Object) {
	ns := o.Ref.Namespace
	if b := mapAt(o.Content, "spec", "defaultBackend", "service"); b != nil {
		r.ingressBackend(o, []string{"spec", "defaultBackend", "service"}, b)
	}
	for i, rule := range listAt(o.Content, "spec", "rules") {
		for j, p := range listAt(asMap(rule), "http", "paths") {
			if b := mapAt(asMap(p), "backend", "service"); b != nil {
				r.ingressBackend(o, []string{"spec", "rules", itoa(i), "http", "paths", itoa(j), "backend", "service"}, b)
			}
		}
	}
	shim := r.issuerAnnotations(o)
	r.middlewareAnnotation(o)
	for i, t := range listAt(o.Content, "spec", "tls") {
		if shim || str(o.Content, "spec", "ingressClassName") == tailscaleIngressClass {
			// cert-manager's ingress-shim makes the Secrets; Tailscale's
			// Ingress controller reads only tls hosts, for the name of
			// the device it gets a certificate for itself.
			break
		}
		r.resolve(ref{obj: o, path: []string{"spec", "tls", itoa(i), "secretName"}, kind: "Secret", namespace: ns,
			name: str(asMap(t), "secretName"), rule: RuleSecretMissing, what: "tls secretName"})
	}
	r.resolve(ref{obj: o, path: []string{"spec", "ingressClassName"}, kind: "IngressClass",
		name: str(o.Content, "spec", "ingressClassName"), rule: RuleClassMissing, what: "ingressClassName"})
}

// ingressBackend checks that a backend's Service and port exist.
func (r *reporter) ingressBackend(o *model.Object, path []string, b map[string]any) {
	e := r.resolve(ref{obj: o, path: join(path, "name"), kind: "Service", namespace: o.Ref.Namespace,
		name: str(b, "name"), rule: RuleServiceMissing, what: "Ingress backend"})
	if e == nil || e.obj == nil {
		return
	}
	if n, ok := numberOf(value(b, "port", "number")); ok {
		r.servicePort(o, join(path, "port", "number"), e.obj, n, "")
	} else if name := str(b, "port", "name"); name != "" {
		r.servicePort(o, join(path, "port", "name"), e.obj, 0, name)
	}
}

// servicePort reports a port number or name that a Service does not
// declare.
func (r *reporter) servicePort(o *model.Object, path []string, svc *model.Object, number int, name string) {
	var names []string
	for _, p := range listAt(svc.Content, "spec", "ports") {
		pm := asMap(p)
		if n, ok := numberOf(pm["port"]); ok && number != 0 && n == number {
			return
		}
		if pn := str(pm, "name"); pn != "" {
			if pn == name {
				return
			}
			names = append(names, pn)
		}
	}
	port := strconv.Itoa(number)
	if name != "" {
		port = strconv.Quote(name)
	}
	hint := ""
	if c := closest(name, names); name != "" && c != "" {
		hint = "did you mean " + c + "?"
	}
	r.report(ref{obj: o, path: path, rule: RulePortMissing},
		fmt.Sprintf("Service %s/%s has no port %s", svc.Ref.Namespace, svc.Ref.Name, port), hint)
}

func numberOf(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	}
	return 0, false
}
