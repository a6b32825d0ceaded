package xref

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/model"
)

// gatewayGroup is the group of the Gateway API.
const gatewayGroup = "gateway.networking.k8s.io"

// checkRoute checks a Gateway API route (HTTPRoute, GRPCRoute, TLSRoute,
// TCPRoute, UDPRoute): its parent Gateways and their listeners, and its
// backends, with the ReferenceGrants that backends in other namespaces need.
func (r *reporter) checkRoute(o *model.Object) {
	for i, p := range listAt(o.Content, "spec", "parentRefs") {
		r.routeParent(o, []string{"spec", "parentRefs", itoa(i)}, asMap(p))
	}
	for i, rule := range listAt(o.Content, "spec", "rules") {
		rm := asMap(rule)
		base := []string{"spec", "rules", itoa(i)}
		for j, b := range listAt(rm, "backendRefs") {
			bm := asMap(b)
			r.routeBackend(o, join(base, "backendRefs", j), bm)
			r.mirrors(o, join(base, "backendRefs", j), bm)
		}
		r.mirrors(o, base, rm)
	}
}

// mirrors checks the backends of the requestMirror filters of a rule or
// backendRef.
func (r *reporter) mirrors(o *model.Object, base []string, m map[string]any) {
	for k, f := range listAt(m, "filters") {
		if b := mapAt(asMap(f), "requestMirror", "backendRef"); b != nil {
			r.routeBackend(o, join(base, "filters", k, "requestMirror", "backendRef"), b)
		}
	}
}

// routeBackend checks that a backendRef's Service and port exist, and that
// a Service in another namespace is granted.
func (r *reporter) routeBackend(o *model.Object, base []string, m map[string]any) {
	if skipName(str(m, "name")) {
		return
	}
	if orDefault(str(m, "kind"), "Service") != "Service" || str(m, "group") != "" {
		r.customBackend(o, base, m)
		return
	}
	ns := orDefault(str(m, "namespace"), o.Ref.Namespace)
	e := r.resolve(ref{obj: o, path: join(base, "name"), kind: "Service", namespace: ns,
		name: str(m, "name"), rule: RuleServiceMissing, what: "backendRefs"})
	if e == nil {
		return
	}
	if n, ok := numberOf(m["port"]); ok && e.obj != nil {
		r.servicePort(o, join(base, "port"), e.obj, n, "")
	}
	if ns != o.Ref.Namespace {
		r.granted(o, join(base, "namespace"), "", "Service", ns, str(m, "name"), "backendRefs")
	}
}

// customBackend checks a backendRef to a custom backend kind (Envoy
// Gateway's Backend, a ServiceImport): the object must exist when the
// cluster manages objects of that kind from the repository; else they are
// made elsewhere and whether it exists is unknown.
func (r *reporter) customBackend(o *model.Object, base []string, m map[string]any) {
	group, kind := str(m, "group"), str(m, "kind")
	if group == "" || kind == "" || !r.managesKind(group, kind) {
		return
	}
	ns := orDefault(str(m, "namespace"), o.Ref.Namespace)
	e := r.resolve(ref{obj: o, path: join(base, "name"), apiVersion: group + "/", kind: kind, namespace: ns,
		name: str(m, "name"), rule: RuleObjectMissing, what: "backendRefs"})
	if e != nil && ns != o.Ref.Namespace {
		r.granted(o, join(base, "namespace"), group, kind, ns, str(m, "name"), "backendRefs")
	}
}

// managesKind reports whether the cluster's renders make any object of a
// group and kind.
func (r *reporter) managesKind(group, kind string) bool {
	for _, e := range r.ix.objects {
		if e.obj != nil && e.obj.Ref.Kind == kind && model.Group(e.obj.Ref.APIVersion) == group {
			return true
		}
	}
	return false
}

// routeParent checks a parentRef to a Gateway: that the Gateway exists,
// that its sectionName and port name a listener, and that a listener allows
// the route.
func (r *reporter) routeParent(o *model.Object, base []string, m map[string]any) {
	if orDefault(str(m, "group"), gatewayGroup) != gatewayGroup || orDefault(str(m, "kind"), "Gateway") != "Gateway" || skipName(str(m, "name")) {
		return
	}
	e := r.resolve(ref{obj: o, path: join(base, "name"), kind: "Gateway",
		namespace: orDefault(str(m, "namespace"), o.Ref.Namespace), name: str(m, "name"), rule: RuleObjectMissing, what: "parentRefs"})
	if e == nil || e.obj == nil {
		return
	}
	gw := e.obj
	section := str(m, "sectionName")
	candidates, ok := r.listeners(o, base, gw, m)
	if !ok {
		return
	}
	var why string
	for _, l := range candidates {
		allowed, reason := r.listenerAllows(l, gw, o)
		if allowed {
			return
		}
		if why == "" {
			why = reason
		}
	}
	r.report(ref{obj: o, path: join(base, "name"), rule: RuleRouteNotAllowed},
		fmt.Sprintf("no listener of Gateway %s/%s%s allows %s %s from namespace %s: %s", gw.Ref.Namespace, gw.Ref.Name, sectionText(section),
			o.Ref.Kind, o.Ref.Name, o.Ref.Namespace, why), "")
}

// listeners returns the listeners of a Gateway that a parentRef's
// sectionName and port select, and reports when they select none; false
// when there is nothing more to check.
func (r *reporter) listeners(o *model.Object, base []string, gw *model.Object, m map[string]any) ([]map[string]any, bool) {
	listeners := listAt(gw.Content, "spec", "listeners")
	if len(listeners) == 0 {
		return nil, false
	}
	section := str(m, "sectionName")
	port, hasPort := numberOf(m["port"])
	var candidates []map[string]any
	var names []string
	for _, l := range listeners {
		lm := asMap(l)
		names = append(names, str(lm, "name"))
		if n, ok := numberOf(lm["port"]); (section == "" || str(lm, "name") == section) && (!hasPort || ok && n == port) {
			candidates = append(candidates, lm)
		}
	}
	if len(candidates) > 0 {
		return candidates, true
	}
	gwName := gw.Ref.Namespace + "/" + gw.Ref.Name
	if section != "" && !slices.Contains(names, section) {
		hint := ""
		if c := closest(section, names); c != "" {
			hint = "did you mean " + c + "?"
		}
		r.report(ref{obj: o, path: join(base, "sectionName"), rule: RuleListenerMissing},
			fmt.Sprintf("parentRefs sectionName %q names no listener of Gateway %s (listeners: %s)", section, gwName, strings.Join(names, ", ")), hint)
		return nil, false
	}
	r.report(ref{obj: o, path: join(base, "port"), rule: RuleListenerMissing},
		fmt.Sprintf("parentRefs port %d matches no listener of Gateway %s%s", port, gwName, sectionText(section)), "")
	return nil, false
}

func sectionText(section string) string {
	if section == "" {
		return ""
	}
	return fmt.Sprintf(" named %q", section)
}

// listenerAllows reports whether a Gateway listener's allowedRoutes admit a
// route, and if not why. A namespace selector over a namespace whose labels
// are unknown admits it.
func (r *reporter) listenerAllows(l map[string]any, gw, route *model.Object) (bool, string) {
	if kinds := listAt(l, "allowedRoutes", "kinds"); len(kinds) > 0 {
		routeGroup := model.Group(route.Ref.APIVersion)
		if !slices.ContainsFunc(kinds, func(k any) bool {
			km := asMap(k)
			return str(km, "kind") == route.Ref.Kind && orDefault(str(km, "group"), gatewayGroup) == routeGroup
		}) {
			return false, fmt.Sprintf("listener %q allowedRoutes.kinds does not list %s", str(l, "name"), route.Ref.Kind)
		}
	}
	ns := route.Ref.Namespace
	switch from := orDefault(str(l, "allowedRoutes", "namespaces", "from"), "Same"); from {
	case "All":
		return true, ""
	case "Same":
		if ns == gw.Ref.Namespace {
			return true, ""
		}
		return false, fmt.Sprintf("listener %q allows routes from its own namespace only (allowedRoutes.namespaces.from: Same, the default)", str(l, "name"))
	case "Selector":
		e, st := r.ix.lookup("Namespace", "", ns)
		if st != found || e.obj == nil {
			return true, "" // its labels are unknown
		}
		labels := stringMap(e.obj.Content, "metadata", "labels")
		labels["kubernetes.io/metadata.name"] = ns
		if selects(mapAt(l, "allowedRoutes", "namespaces", "selector"), labels) {
			return true, ""
		}
		return false, fmt.Sprintf("listener %q allowedRoutes.namespaces.selector does not match the labels of namespace %s", str(l, "name"), ns)
	default:
		return true, ""
	}
}

// granted reports a reference from an object to another namespace that no
// ReferenceGrant of that namespace allows. path is the reference's
// namespace field.
func (r *reporter) granted(o *model.Object, path []string, toGroup, toKind, namespace, name, what string) {
	fromGroup := model.Group(o.Ref.APIVersion)
	for _, g := range r.objectsOf(gatewayGroup, "ReferenceGrant", namespace) {
		from := slices.ContainsFunc(listAt(g.Content, "spec", "from"), func(f any) bool {
			fm := asMap(f)
			return str(fm, "group") == fromGroup && str(fm, "kind") == o.Ref.Kind && str(fm, "namespace") == o.Ref.Namespace
		})
		to := slices.ContainsFunc(listAt(g.Content, "spec", "to"), func(t any) bool {
			tm := asMap(t)
			return str(tm, "group") == toGroup && str(tm, "kind") == toKind && (str(tm, "name") == "" || str(tm, "name") == name)
		})
		if from && to {
			return
		}
	}
	if r.ix.unknownWhy("ReferenceGrant", namespace) != "" {
		return
	}
	r.report(ref{obj: o, path: path, rule: RuleReferenceGrantMissing},
		fmt.Sprintf("%s names %s %s/%s in another namespace, and no ReferenceGrant in namespace %s allows %s from namespace %s to it",
			what, toKind, namespace, name, namespace, o.Ref.Kind, o.Ref.Namespace),
		fmt.Sprintf("add a ReferenceGrant in namespace %s with from {group: %s, kind: %s, namespace: %s} and to {group: %q, kind: %s}",
			namespace, fromGroup, o.Ref.Kind, o.Ref.Namespace, toGroup, toKind))
}

// objectsOf returns the rendered objects of a group and kind in a
// namespace, in name order.
func (r *reporter) objectsOf(group, kind, namespace string) []*model.Object {
	var out []*model.Object
	for _, e := range r.ix.objects {
		if e.obj != nil && e.obj.Ref.Kind == kind && e.obj.Ref.Namespace == namespace && model.Group(e.obj.Ref.APIVersion) == group {
			out = append(out, e.obj)
		}
	}
	slices.SortFunc(out, func(a, b *model.Object) int { return strings.Compare(a.Ref.Name, b.Ref.Name) })
	return out
}

// checkGateway checks a Gateway's class and listener certificates, and
// its cert-manager annotations.
func (r *reporter) checkGateway(o *model.Object) {
	r.resolve(ref{obj: o, path: []string{"spec", "gatewayClassName"}, kind: "GatewayClass",
		name: str(o.Content, "spec", "gatewayClassName"), rule: RuleClassMissing, what: "gatewayClassName"})
	if r.issuerAnnotations(o) {
		return // cert-manager's gateway-shim makes the Secrets
	}
	for i, l := range listAt(o.Content, "spec", "listeners") {
		for j, c := range listAt(asMap(l), "tls", "certificateRefs") {
			m := asMap(c)
			if orDefault(str(m, "kind"), "Secret") != "Secret" || str(m, "group") != "" {
				continue
			}
			base := []string{"spec", "listeners", itoa(i), "tls", "certificateRefs", itoa(j)}
			ns := orDefault(str(m, "namespace"), o.Ref.Namespace)
			e := r.resolve(ref{obj: o, path: join(base, "name"), kind: "Secret",
				namespace: ns, name: str(m, "name"), rule: RuleSecretMissing, what: "certificateRefs"})
			if e != nil && ns != o.Ref.Namespace {
				r.granted(o, join(base, "namespace"), "", "Secret", ns, str(m, "name"), "certificateRefs")
			}
		}
	}
}

// skipName reports whether a name is written by a template or a variable
// that fluxlint did not expand, so that it cannot be looked up.
func skipName(name string) bool {
	return strings.Contains(name, "${") || strings.Contains(name, "{{")
}
