package model

import (
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/source"
)

// argoInCluster is the address Argo CD gives the cluster it runs in.
const argoInCluster = "https://kubernetes.default.svc"

// ArgoCDNamespace returns the namespace an Argo CD Application deploys
// into (spec.destination.namespace) when its destination is the cluster
// Argo CD runs in (no server, or kubernetes.default.svc; no name, or
// in-cluster), and "" otherwise: what it deploys there, a chart or
// manifests Argo CD renders, is not rendered here.
func ArgoCDNamespace(content map[string]any) string {
	if Group(str(content, "apiVersion")) != "argoproj.io" || str(content, "kind") != "Application" {
		return ""
	}
	server, name := str(content, "spec", "destination", "server"), str(content, "spec", "destination", "name")
	if (server != "" && server != argoInCluster) || (name != "" && name != "in-cluster") {
		return ""
	}
	return str(content, "spec", "destination", "namespace")
}

// An outsideApp is an Argo CD Application that the repository defines
// outside the cluster's renders, and the namespace it deploys into.
type outsideApp struct {
	namespace string
	// names are the Application's name and its chart's, which the objects
	// of a chart it deploys usually start with.
	names []string
	at    finding.Pos
}

// ArgoCDDeploys returns where the repository defines, outside the
// cluster's renders, an Argo CD Application that deploys into a namespace
// of the cluster: what it deploys, which Argo CD renders, may hold an
// object of any name there. Of several, the one whose name or chart the
// object's name starts with is returned.
func (o *Outside) ArgoCDDeploys(namespace, name string) (finding.Pos, bool) {
	if o == nil || o.repo == nil || namespace == "" {
		return finding.Pos{}, false
	}
	o.once.Do(o.build)
	var first *outsideApp
	for i, a := range o.apps {
		if a.namespace != namespace {
			continue
		}
		if first == nil {
			first = &o.apps[i]
		}
		if slices.ContainsFunc(a.names, func(p string) bool { return p != "" && (name == p || strings.HasPrefix(name, p+"-")) }) {
			return a.at, true
		}
	}
	if first == nil {
		return finding.Pos{}, false
	}
	return first.at, true
}

// newOutsideApp returns the Application a document of the repository
// defines, when it deploys into a namespace of the cluster.
func newOutsideApp(d *source.Document) (outsideApp, bool) {
	ns := ArgoCDNamespace(d.Object())
	if ns == "" {
		return outsideApp{}, false
	}
	names := []string{d.Str("metadata", "name"), d.Str("spec", "source", "chart")}
	sources, _ := value(d.Object(), "spec", "sources").([]any)
	for _, src := range sources {
		m, _ := src.(map[string]any)
		names = append(names, str(m, "chart"))
	}
	return outsideApp{namespace: ns, names: names, at: d.Pos()}, true
}
