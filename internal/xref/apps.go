package xref

import (
	"path"
	"strings"

	"github.com/fluxlint/fluxlint/internal/model"
)

// outpostPrefix begins the names of the Deployments and Services that
// authentik's Kubernetes integration deploys for each of its outposts
// (object_naming_template ak-outpost-%(name)s), at run time, in the
// namespace the integration names (its own by default).
const outpostPrefix = "ak-outpost-"

// authentikNamespace returns the namespace where authentik may deploy
// outposts because of an object, or "" when the object is no HelmRelease
// of the authentik chart or of authentik-remote-cluster, which lets an
// authentik running elsewhere deploy its outposts in its namespace.
func authentikNamespace(o *model.Object) (string, bool) {
	if !model.IsKind(o, model.GroupHelm, "HelmRelease") {
		return "", false
	}
	chart := str(o.Content, "spec", "chart", "spec", "chart")
	if chart == "" {
		chart = str(o.Content, "spec", "chartRef", "name")
	}
	if base := path.Base(chart); base != "authentik" && base != "authentik-remote-cluster" {
		return "", false
	}
	return helmNamespace(o), true
}

// appMayMake says why an application the cluster runs may make an object
// of a kind and name in a namespace at run time, or "": authentik's
// outposts (of the default name anywhere, of a name holding "outpost" in
// the namespace of an authentik or authentik-remote-cluster release), and
// a Secret or ConfigMap that a container of the namespace is told the
// name of in its arguments or environment (podTemplate.named).
func (ix *index) appMayMake(kind, namespace, name string) string {
	if ix.hasAuthentik && (kind == "Service" || kind == "Deployment") && strings.HasPrefix(name, outpostPrefix) {
		return "authentik deploys its outposts as " + outpostPrefix + "<name> at run time"
	}
	if ix.authentikNamespaces[namespace] && (kind == "Service" || kind == "Deployment") && strings.Contains(name, "outpost") {
		// The object_naming_template is set in authentik, not in Git.
		return "authentik deploys its outposts in this namespace at run time, named by its object_naming_template"
	}
	if kind != "Secret" && kind != "ConfigMap" {
		return ""
	}
	for _, p := range ix.pods {
		if p.namespace == namespace && p.named[name] {
			return "the containers of " + p.obj.Ref.String() + " are given its name and may make it at run time"
		}
	}
	return ""
}
