package xref

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/fluxlint/fluxlint/internal/model"
)

// isTraefikGroup reports whether a group is Traefik's (current or legacy).
func isTraefikGroup(group string) bool {
	return group == "traefik.io" || group == "traefik.containo.us"
}

// checkTraefik checks the Services, TraefikServices, Middlewares and TLS
// Secret of an IngressRoute, IngressRouteTCP or IngressRouteUDP. Names
// with a provider ("api@internal", "auth@file") are not Kubernetes
// objects and are not looked up.
func (r *reporter) checkTraefik(o *model.Object) {
	middleware := "Middleware"
	switch o.Ref.Kind {
	case "IngressRoute":
	case "IngressRouteTCP":
		middleware = "MiddlewareTCP"
	case "IngressRouteUDP":
		middleware = ""
	default:
		return
	}
	ns := o.Ref.Namespace
	for i, route := range listAt(o.Content, "spec", "routes") {
		rm := asMap(route)
		base := []string{"spec", "routes", itoa(i)}
		for j, s := range listAt(rm, "services") {
			r.traefikService(o, join(base, "services", j), asMap(s))
		}
		if middleware == "" {
			continue
		}
		for j, mw := range listAt(rm, "middlewares") {
			m := asMap(mw)
			name := str(m, "name")
			if strings.Contains(name, "@") || skipName(name) {
				continue
			}
			r.resolve(ref{obj: o, path: join(base, "middlewares", j, "name"), kind: middleware,
				namespace: orDefault(str(m, "namespace"), ns), name: name, rule: RuleMiddlewareMissing, what: "middlewares"})
		}
	}
	if name := str(o.Content, "spec", "tls", "secretName"); !skipName(name) {
		r.resolve(ref{obj: o, path: []string{"spec", "tls", "secretName"}, kind: "Secret", namespace: ns,
			name: name, rule: RuleSecretMissing, what: "tls.secretName"})
	}
}

// traefikService checks one service of a Traefik route: a Service and its
// port, or a TraefikService.
func (r *reporter) traefikService(o *model.Object, base []string, m map[string]any) {
	name := str(m, "name")
	if strings.Contains(name, "@") || skipName(name) {
		return
	}
	ns := orDefault(str(m, "namespace"), o.Ref.Namespace)
	switch orDefault(str(m, "kind"), "Service") {
	case "TraefikService":
		r.resolve(ref{obj: o, path: join(base, "name"), kind: "TraefikService", namespace: ns, name: name,
			rule: RuleObjectMissing, what: "services"})
	case "Service":
		e := r.resolve(ref{obj: o, path: join(base, "name"), kind: "Service", namespace: ns, name: name,
			rule: RuleServiceMissing, what: "services"})
		if e == nil || e.obj == nil {
			return
		}
		external := str(e.obj.Content, "spec", "type") == "ExternalName"
		switch p := m["port"].(type) {
		case string:
			if n, err := strconv.Atoi(p); err == nil {
				r.servicePort(o, join(base, "port"), e.obj, n, "")
			} else if !skipName(p) && p != "" {
				r.servicePort(o, join(base, "port"), e.obj, 0, p)
			}
		default:
			// Traefik takes a port number that an ExternalName Service
			// does not list as the port to reach its external name (it
			// logs a warning when the Service lists other ports); a name
			// must match one.
			if n, ok := numberOf(p); ok && !external {
				r.servicePort(o, join(base, "port"), e.obj, n, "")
			}
		}
	}
}

// middlewareAnnotation checks the Middlewares that Traefik's
// router.middlewares annotation of an Ingress names in the
// <namespace>-<name>@kubernetescrd form; other providers are not looked up.
// As both parts may hold dashes, the reference holds when any split names
// a Middleware that exists or may exist.
func (r *reporter) middlewareAnnotation(o *model.Object) {
	const key = "traefik.ingress.kubernetes.io/router.middlewares"
	a := stringMap(o.Content, "metadata", "annotations")[key]
	for _, item := range strings.Split(a, ",") {
		full, ok := strings.CutSuffix(strings.TrimSpace(item), "@kubernetescrd")
		if !ok || skipName(full) {
			continue
		}
		if r.middlewareSplit(full) {
			continue
		}
		var names []string
		for _, e := range r.ix.objects {
			if e.obj != nil && e.obj.Ref.Kind == "Middleware" && isTraefikGroup(model.Group(e.obj.Ref.APIVersion)) {
				names = append(names, e.obj.Ref.Namespace+"-"+e.obj.Ref.Name)
			}
		}
		hint := "the annotation names a Middleware as <namespace>-<name>@kubernetescrd"
		if c := closest(full, names); c != "" {
			hint = fmt.Sprintf("did you mean %s@kubernetescrd?", c)
		}
		r.report(ref{obj: o, path: []string{"metadata", "annotations", key}, rule: RuleMiddlewareMissing},
			fmt.Sprintf("annotation %s names Middleware %s@kubernetescrd, and no Middleware <namespace>/<name> of %s makes that name", key, full, clusterOf(o)), hint)
	}
}

// middlewareSplit reports whether some split of <namespace>-<name> names
// a Middleware that exists or may exist.
func (r *reporter) middlewareSplit(full string) bool {
	for i := range len(full) {
		if full[i] != '-' {
			continue
		}
		if _, st := r.ix.lookup("Middleware", full[:i], full[i+1:]); st != missing {
			return true
		}
	}
	return false
}
