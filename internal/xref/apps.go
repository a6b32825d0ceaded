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
// of a kind and name at run time, or "": authentik's outposts.
func (ix *index) appMayMake(kind, name string) string {
	if ix.hasAuthentik && (kind == "Service" || kind == "Deployment") && strings.HasPrefix(name, outpostPrefix) {
		return "authentik deploys its outposts as " + outpostPrefix + "<name> at run time"
	}
	return ""
}
