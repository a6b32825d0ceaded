package flux

import (
	"fmt"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/render"
)

// softenSecretsOfUnread makes a warning of each substituteFrom Secret that
// no render produces when a Kustomization that decrypts the SOPS Secrets
// of a private source (model.PrivateSecrets) was not rendered, as that
// source cannot be read offline, and may put it in that namespace: a
// private repository of encrypted Secrets beside the public one is common,
// and what it makes is not known offline. It runs once the cluster's gaps are known.
func (c *cluster) softenSecretsOfUnread() {
	var unread []*model.Object
	for _, g := range c.Gaps {
		if g.Kind != model.NotBuilt {
			continue
		}
		for _, o := range c.objects {
			if o.Ref.String() == g.Object.String() && model.PrivateSecrets(o, c.objects) {
				unread = append(unread, o)
			}
		}
	}
	if len(unread) == 0 {
		return
	}
	for i, f := range c.Findings {
		if f.RuleID != render.RuleSubstituteFrom || f.Severity != finding.Error || f.Names == nil || f.Names.Kind != "Secret" {
			continue
		}
		for _, ks := range unread {
			if target := str(ks.Content, "spec", "targetNamespace"); target != "" && target != f.Names.Namespace {
				continue
			}
			c.Findings[i].Severity = finding.Warning
			c.Findings[i].Message = fmt.Sprintf("substituteFrom names Secret %s/%s, which no render of this cluster produces; %s, which decrypts Secrets from a source that cannot be read offline, may make it", f.Names.Namespace, f.Names.Name, ks.Ref)
			c.Findings[i].Hint = "map that source to a local folder in .fluxlint.yaml (sources), or declare the Secret in externalObjects"
			break
		}
	}
}
