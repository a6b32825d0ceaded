package xref

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// A labeled is a Service or pod template that a monitor may select.
type labeled struct {
	obj    *model.Object
	labels map[string]string
	// ports are the port names: a Service's ports, a pod's container ports.
	ports map[string]bool
}

// checkMonitor checks that a ServiceMonitor's or PodMonitor's selector
// matches Services or pod templates in the namespaces its
// namespaceSelector names (by default its own), and that its endpoints'
// port names are ports of what it selects. Nothing is reported when what
// is selected may be made by something fluxlint does not see: a chart not
// rendered, or an operator's custom resource in one of the namespaces.
func (r *reporter) checkMonitor(o *model.Object) {
	if model.Group(o.Ref.APIVersion) != "monitoring.coreos.com" {
		return
	}
	portsField, what := "endpoints", "Service"
	switch o.Ref.Kind {
	case "ServiceMonitor":
	case "PodMonitor":
		portsField, what = "podMetricsEndpoints", "pod template"
	default:
		return
	}
	sel := mapAt(o.Content, "spec", "selector")
	if len(mapAt(sel, "matchLabels")) == 0 && len(listAt(sel, "matchExpressions")) == 0 {
		return // an empty selector selects everything
	}
	namespaces, all := monitorNamespaces(o)
	if r.monitorScopeUnknown(namespaces, all) {
		return
	}
	candidates := r.monitorCandidates(o.Ref.Kind, namespaces, all)
	var matched []labeled
	for _, c := range candidates {
		if selects(sel, c.labels) {
			matched = append(matched, c)
		}
	}
	if len(matched) == 0 {
		where := "namespace " + strings.Join(namespaces, ", ")
		if all {
			where = "any namespace"
		}
		r.report(ref{obj: o, path: []string{"spec", "selector"}, rule: RuleMonitorNoMatch},
			fmt.Sprintf("the selector matches no %s in %s: Prometheus gets no target from this %s", what, where, o.Ref.Kind),
			closestLabeled(stringMap(sel, "matchLabels"), candidates))
		return
	}
	r.monitorPorts(o, portsField, what, matched)
}

// monitorPorts reports the endpoint port names of a monitor that none of
// what it selects has.
func (r *reporter) monitorPorts(o *model.Object, portsField, what string, matched []labeled) {
	for i, ep := range listAt(o.Content, "spec", portsField) {
		port := str(asMap(ep), "port")
		if port == "" || skipName(port) || slices.ContainsFunc(matched, func(c labeled) bool { return c.ports[port] }) {
			continue
		}
		var names []string
		for _, c := range matched {
			names = append(names, sortedKeys(c.ports)...)
		}
		hint := ""
		if c := closest(port, names); c != "" {
			hint = "did you mean " + c + "?"
		}
		r.report(ref{obj: o, path: []string{"spec", portsField, itoa(i), "port"}, rule: RulePortMissing, severity: finding.Warning, severityOverridden: true},
			fmt.Sprintf("%s port %q is no port name of the %ss the selector matches (%s)", portsField, port, what, matched[0].obj.Ref), hint)
	}
}

// monitorNamespaces returns the namespaces a monitor's namespaceSelector
// names (its own by default), or all when it selects any.
func monitorNamespaces(o *model.Object) (namespaces []string, all bool) {
	if boolAt(o.Content, "spec", "namespaceSelector", "any") {
		return nil, true
	}
	for _, n := range listAt(o.Content, "spec", "namespaceSelector", "matchNames") {
		if s, ok := n.(string); ok {
			namespaces = append(namespaces, s)
		}
	}
	if len(namespaces) == 0 {
		namespaces = []string{o.Ref.Namespace}
	}
	return namespaces, false
}

// monitorScopeUnknown reports whether Services or pods that fluxlint does
// not see may exist where a monitor looks.
func (r *reporter) monitorScopeUnknown(namespaces []string, all bool) bool {
	ix := r.ix
	if ix.fleet != "" || all && ix.anythingUnrendered() {
		return true
	}
	for _, ns := range namespaces {
		if skipName(ns) || ix.unknownWhy("Service", ns) != "" || ix.unknownWhy("Pod", ns) != "" {
			return true
		}
	}
	for _, e := range ix.objects {
		if e.obj != nil && (all || slices.Contains(namespaces, e.obj.Ref.Namespace)) && makesWorkloads(e.obj) {
			return true
		}
	}
	return false
}

// monitorCandidates returns the Services (ServiceMonitor) or pod templates
// (PodMonitor) in the namespaces a monitor looks at, in a stable order.
func (r *reporter) monitorCandidates(kind string, namespaces []string, all bool) []labeled {
	in := func(ns string) bool { return all || slices.Contains(namespaces, ns) }
	var out []labeled
	if kind == "PodMonitor" {
		for _, p := range r.ix.pods {
			if in(p.namespace) {
				out = append(out, labeled{obj: p.obj, labels: p.labels, ports: p.ports})
			}
		}
		return out
	}
	for _, c := range r.clusterServices() {
		if in(c.obj.Ref.Namespace) {
			out = append(out, c)
		}
	}
	for _, e := range r.ix.objects {
		o := e.obj
		if o == nil || o.Ref.Kind != "Service" || model.Group(o.Ref.APIVersion) != "" || !in(o.Ref.Namespace) {
			continue
		}
		c := labeled{obj: o, labels: stringMap(o.Content, "metadata", "labels"), ports: map[string]bool{}}
		for _, p := range listAt(o.Content, "spec", "ports") {
			if n := str(asMap(p), "name"); n != "" {
				c.ports[n] = true
			}
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b labeled) int { return strings.Compare(a.obj.Ref.String(), b.obj.Ref.String()) })
	return out
}

// closestLabeled names the candidate whose label is closest to one of a
// selector that matches none.
func closestLabeled(sel map[string]string, candidates []labeled) string {
	for _, c := range candidates {
		for _, k := range sortedKeys(sel) {
			if cv, ok := c.labels[k]; ok && cv != sel[k] && closest(sel[k], []string{cv}) != "" {
				return fmt.Sprintf("did you mean %s: %s (the labels of %s)?", k, cv, c.obj.Ref)
			}
		}
	}
	return ""
}

// inertKinds are custom resource kinds known to make no pods or Services.
var inertKinds = map[string]bool{
	"ServiceMonitor": true, "PodMonitor": true, "PrometheusRule": true, "Probe": true, "ScrapeConfig": true,
	"AlertmanagerConfig": true, "ExternalSecret": true, "SecretStore": true, "ClusterSecretStore": true,
	"PushSecret": true, "SealedSecret": true, "Certificate": true, "CertificateRequest": true, "Issuer": true,
	"ClusterIssuer": true, "HTTPRoute": true, "GRPCRoute": true, "TLSRoute": true, "TCPRoute": true,
	"UDPRoute": true, "ReferenceGrant": true, "IngressRoute": true, "IngressRouteTCP": true,
	"IngressRouteUDP": true, "Middleware": true, "MiddlewareTCP": true, "TraefikService": true,
	"TLSOption": true, "TLSStore": true, "ServersTransport": true, "CiliumNetworkPolicy": true,
	"CiliumClusterwideNetworkPolicy": true, "GrafanaDashboard": true, "GrafanaDatasource": true,
	"GrafanaFolder": true, "VolumeSnapshot": true,
}

// makesWorkloads reports whether an object is a custom resource whose
// operator may make pods or Services that fluxlint does not see
// (a database Cluster, a Prometheus, a FluxInstance).
func makesWorkloads(o *model.Object) bool {
	group := model.Group(o.Ref.APIVersion)
	return !builtinGroup(group) && !strings.HasSuffix(group, ".toolkit.fluxcd.io") && !inertKinds[o.Ref.Kind]
}

// builtinGroup reports whether a group is one of Kubernetes' own API
// groups.
func builtinGroup(group string) bool {
	return group == "" || !strings.Contains(group, ".") || strings.HasSuffix(group, ".k8s.io") && group != gatewayGroup
}

// anythingUnrendered reports whether objects that fluxlint does not see may
// exist somewhere in the cluster.
func (ix *index) anythingUnrendered() bool {
	return ix.unrendered.cluster != "" || len(ix.unrendered.ns) > 0 || len(ix.charts.ns) > 0 || len(ix.partial) > 0
}
