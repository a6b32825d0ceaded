package flux

import (
	"fmt"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// softenSourcesDefinedOutside makes a source that a Kustomization's
// sourceRef names and the cluster does not define a warning when the
// repository defines it in a file that no render of the cluster reads: a
// tenant's GitRepository kept beside its RBAC and applied by hand (kubectl
// apply -k) probably exists. It runs once the cluster's Outside is known.
func (c *cluster) softenSourcesDefinedOutside() {
	for i, f := range c.Findings {
		if f.RuleID != RuleSourceMissing || f.Severity != finding.Error || f.Names == nil {
			continue
		}
		pos, ok := c.Outside.Find(f.Names.Kind, f.Names.Name)
		if !ok {
			continue
		}
		c.Findings[i].Severity = finding.Warning
		c.Findings[i].Message = fmt.Sprintf("sourceRef names %s %s/%s, which no render of this cluster makes; the repository defines one at %s, outside Flux's renders: applied by hand?",
			f.Names.Kind, f.Names.Namespace, f.Names.Name, pos)
		c.Findings[i].Hint = "add its file to a Kustomization of this cluster; if it is applied outside Flux, declare it in externalObjects (.fluxlint.yaml)"
	}
}
