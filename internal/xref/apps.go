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

// installsAuthentik reports whether an object is a HelmRelease of the
// authentik chart.
func installsAuthentik(o *model.Object) bool {
	if !model.IsKind(o, model.GroupHelm, "HelmRelease") {
		return false
	}
	chart := str(o.Content, "spec", "chart", "spec", "chart")
	if chart == "" {
		chart = str(o.Content, "spec", "chartRef", "name")
	}
	return path.Base(chart) == "authentik"
}

// appMayMake says why an application the cluster runs may make an object
// of a kind and name in a namespace at run time, or "": authentik's
// outposts, and a Secret or ConfigMap that a container of the namespace is
// told the name of in its arguments or environment (podTemplate.named).
func (ix *index) appMayMake(kind, namespace, name string) string {
	if ix.hasAuthentik && (kind == "Service" || kind == "Deployment") && strings.HasPrefix(name, outpostPrefix) {
		return "authentik deploys its outposts as " + outpostPrefix + "<name> at run time"
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
