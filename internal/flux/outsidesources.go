package flux

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
)

// softenSourcesDefinedOutside makes a source that a Kustomization's
// sourceRef or a HelmRelease's chart names and the cluster does not
// define a warning when the
// repository defines it in a file that no render of the cluster reads: a
// tenant's GitRepository kept beside its RBAC and applied by hand (kubectl
// apply -k) probably exists. It runs once the cluster's Outside is known.
// A source of that kind and name that the cluster renders in another
// namespace is the likelier one meant (a source kept namespace-less,
// landing in its Kustomization's namespace): the error stays.
func (c *cluster) softenSourcesDefinedOutside() {
	for i, f := range c.Findings {
		if f.RuleID != RuleSourceMissing || f.Severity != finding.Error || f.Names == nil {
			continue
		}
		pos, ok := c.Outside.Find(f.Names.Kind, f.Names.Name)
		if !ok || c.rendersInOtherNamespace(f.Names) {
			continue
		}
		what := "sourceRef names"
		if strings.HasPrefix(f.Message, "chart source ") {
			what = "the chart's source is"
		}
		c.Findings[i].Severity = finding.Warning
		c.Findings[i].Message = fmt.Sprintf("%s %s %s/%s, which no render of this cluster makes; the repository defines one at %s, outside Flux's renders: applied by hand?",
			what, f.Names.Kind, f.Names.Namespace, f.Names.Name, pos)
		c.Findings[i].Hint = "add its file to a Kustomization of this cluster; if it is applied outside Flux, declare it in externalObjects (.fluxlint.yaml)"
	}
}

// softenPathOfAssumedSource makes a spec.path that this repository does
// not hold a warning when the Kustomization is a root of a cluster found
// as an orphan (no sync of the repository makes it) and its source is
// flux bootstrap's flux-system, which the cluster does not define: that
// source is assumed to be this repository, but the root may as well be an
// example of another's (a base repository's examples of the overlays its
// users keep in their own).
func (c *cluster) softenPathOfAssumedSource(ks *model.Object, findings []finding.Finding) {
	kind, ns, name := model.SourceRef(ks)
	if c.via != model.ViaOrphan || !bootstrapSource(kind, ns, name) || c.lookup(ks.Target, kind, ns, name) != nil ||
		isLocalDir(c.repo, str(ks.Content, "spec", "path")) {
		return
	}
	for i, f := range findings {
		if f.RuleID != render.RuleBuild || f.Severity != finding.Error {
			continue
		}
		findings[i].Severity = finding.Warning
		findings[i].Message += fmt.Sprintf("; %s %s/%s is not defined in this repository, so it may be another repository", kind, ns, name)
		findings[i].Hint = "if it is another repository, map its URL to a local folder in .fluxlint.yaml (sources)"
	}
}

// rendersInOtherNamespace reports whether the cluster renders an object of
// a reference's kind and name in another namespace.
func (c *cluster) rendersInOtherNamespace(ref *finding.ObjectRef) bool {
	return slices.ContainsFunc(c.objects, func(o *model.Object) bool {
		return o.Ref.Kind == ref.Kind && o.Ref.Name == ref.Name && o.Ref.Namespace != ref.Namespace
	})
}
