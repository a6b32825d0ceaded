package check

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/schema"
	"github.com/fluxlint/fluxlint/internal/source"
)

// Rule IDs of the schema findings made here; the validator names the rest.
const (
	RuleAPIVersion  = "schema-api-version"
	RuleUnknownKind = "schema-kind-unknown"
)

// schemaCheck validates rendered objects and reports each kind without a
// schema once per run.
type schemaCheck struct {
	validator *schema.Validator
	unknown   map[string]bool
}

func newSchemaCheck(v *schema.Validator) *schemaCheck {
	return &schemaCheck{validator: v, unknown: map[string]bool{}}
}

// Check validates every object of the cluster.
func (s *schemaCheck) Check(_ context.Context, c *flux.Cluster) []finding.Finding {
	var out []finding.Finding
	for _, o := range c.Objects {
		r := s.validator.Validate(withoutSOPS(o.Content))
		base := finding.Finding{Severity: finding.Error, Object: o.Ref, Cluster: c.Name, Chain: o.Chain}
		switch r.Status {
		case schema.Invalid:
			for _, v := range r.Violations {
				f := base
				f.RuleID, f.Message, f.Pos = v.Rule, v.Message, o.PosOf(v.Path)
				out = append(out, f)
			}
		case schema.UnservedVersion:
			f := base
			f.RuleID, f.Pos = RuleAPIVersion, o.PosOf([]string{"apiVersion"})
			f.Message = fmt.Sprintf("%s %s is not served by Kubernetes %s with Flux's current CRDs; served: %s",
				o.Ref.APIVersion, o.Ref.Kind, s.validator.KubernetesVersion(), strings.Join(r.Served, ", "))
			f.Hint = "change apiVersion to " + r.Served[len(r.Served)-1] + " and check the fields that changed"
			out = append(out, f)
		case schema.NoSchema:
			k := o.Ref.APIVersion + " " + o.Ref.Kind
			if s.unknown[k] {
				continue
			}
			s.unknown[k] = true
			f := base
			f.Severity, f.RuleID, f.Pos, f.Cluster, f.Chain = finding.Info, RuleUnknownKind, o.Origin, "", nil
			f.Message = fmt.Sprintf("no schema for %s %s: its objects are not validated (add its CRD to the repository)", o.Ref.APIVersion, o.Ref.Kind)
			out = append(out, f)
		}
	}
	return out
}

func statDir(repo *source.Repo, rel string) (bool, error) {
	info, err := os.Stat(repo.Abs(rel))
	if err != nil {
		return false, err
	}
	return info.IsDir(), nil
}

// withoutSOPS returns the object without the top-level sops stanza of a
// SOPS-encrypted document, which Flux removes when it decrypts; other
// objects are returned as they are.
func withoutSOPS(content map[string]any) map[string]any {
	if _, ok := content["sops"]; !ok {
		return content
	}
	out := make(map[string]any, len(content))
	for k, v := range content {
		if k != "sops" {
			out[k] = v
		}
	}
	return out
}
