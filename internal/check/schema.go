package check

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/schema"
	"github.com/fluxlint/fluxlint/internal/source"
)

// Rule IDs of the schema findings made here; the validator names the rest.
const (
	RuleAPIVersion  = "schema-api-version"
	RuleUnknownKind = "schema-kind-unknown"
	// RuleAPIDeprecated is a served apiVersion that a later release removes.
	RuleAPIDeprecated = "schema-api-deprecated"
	// RuleCRDInvalid is a CustomResourceDefinition fluxlint cannot read.
	RuleCRDInvalid = "schema-crd-invalid"
)

// schemaCheck validates rendered objects and reports each kind without a
// schema once per run.
type schemaCheck struct {
	validator *schema.Validator
	// crds are CRDs given on the command line or in the config, checked
	// in every cluster besides the cluster's own.
	crds    []*render.Object
	unknown map[string]bool
}

func newSchemaCheck(v *schema.Validator, crds []*render.Object) *schemaCheck {
	return &schemaCheck{validator: v, crds: crds, unknown: map[string]bool{}}
}

// Check validates every object of the cluster, custom resources against
// the CRDs the cluster (and the options) define.
func (s *schemaCheck) Check(ctx context.Context, c *flux.Cluster) []finding.Finding {
	set, out := s.crdSet(c)
	for _, o := range c.Objects {
		out = append(out, s.checkObject(ctx, c, o, set)...)
	}
	return out
}

// crdSet compiles the CRDs of the options and of the cluster; a CRD that
// cannot be read is a finding at its document.
func (s *schemaCheck) crdSet(c *flux.Cluster) (*schema.CRDSet, []finding.Finding) {
	objs := make([]*render.Object, 0, len(s.crds))
	objs = append(objs, s.crds...)
	for _, o := range c.Objects {
		if schema.IsCRD(o.Content) {
			objs = append(objs, o)
		}
	}
	contents := make([]map[string]any, len(objs))
	for i, o := range objs {
		contents[i] = o.Content
	}
	set, errs := s.validator.CRDSet(contents)
	var out []finding.Finding
	for _, e := range errs {
		o := objs[e.Index]
		out = append(out, finding.Finding{RuleID: RuleCRDInvalid, Severity: finding.Error, Object: o.Ref,
			Cluster: c.Name, Chain: o.Chain, Pos: o.Origin,
			Message: "CRD cannot be read: " + e.Err.Error()})
	}
	return set, out
}

// checkObject validates one object.
func (s *schemaCheck) checkObject(ctx context.Context, c *flux.Cluster, o *render.Object, set *schema.CRDSet) []finding.Finding {
	content, sops := withoutSOPS(o.Content)
	r := s.validator.ValidateIn(ctx, content, set, schema.ValidateOptions{SkipCEL: sops})
	base := finding.Finding{Severity: finding.Error, Object: o.Ref, Cluster: c.Name, Chain: o.Chain}
	var out []finding.Finding
	if r.Deprecated != "" {
		f := base
		f.RuleID, f.Severity, f.Pos, f.Message = RuleAPIDeprecated, finding.Warning, o.PosOf([]string{"apiVersion"}), r.Deprecated
		if r.Replacement != "" {
			f.Hint = "change apiVersion to " + r.Replacement + " and check the fields that changed"
		}
		out = append(out, f)
	}
	switch r.Status {
	case schema.Invalid:
		for _, v := range r.Violations {
			if sops && v.Rule != schema.RuleUnknownField && v.Rule != schema.RuleRequired && encrypted(content, v.Path) {
				continue // the value is ciphertext until Flux decrypts it
			}
			f := base
			f.RuleID, f.Message, f.Pos = v.Rule, v.Message, o.PosOf(v.Path)
			out = append(out, f)
		}
	case schema.UnservedVersion:
		f := base
		f.RuleID, f.Pos = RuleAPIVersion, o.PosOf([]string{"apiVersion"})
		f.Message = fmt.Sprintf("%s %s is not served by %s; served: %s",
			o.Ref.APIVersion, o.Ref.Kind, s.servedBy(o.Ref.APIVersion, r), strings.Join(r.Served, ", "))
		f.Hint = "change apiVersion to " + r.Served[len(r.Served)-1] + " and check the fields that changed"
		out = append(out, f)
	case schema.NoSchema:
		k := o.Ref.APIVersion + " " + o.Ref.Kind
		if s.unknown[k] {
			break
		}
		s.unknown[k] = true
		f := base
		f.Severity, f.RuleID, f.Pos, f.Cluster, f.Chain = finding.Info, RuleUnknownKind, o.Origin, "", nil
		f.Message = fmt.Sprintf("no schema for %s %s: its objects are not validated (add its CRD to the repository or pass it with --crd)", o.Ref.APIVersion, o.Ref.Kind)
		out = append(out, f)
	}
	return out
}

// servedBy names what does not serve an apiVersion.
func (s *schemaCheck) servedBy(apiVersion string, r schema.Result) string {
	group, _, _ := strings.Cut(apiVersion, "/")
	switch {
	case r.FromCRD:
		return "its CustomResourceDefinition"
	case r.RemovedIn != "":
		return "Kubernetes " + s.validator.KubernetesVersion() + " (removed in " + r.RemovedIn + ")"
	case s.validator.IsFluxGroup(group):
		return "Flux " + s.validator.FluxVersion()
	}
	return "Kubernetes " + s.validator.KubernetesVersion()
}

func statDir(repo *source.Repo, rel string) (bool, error) {
	info, err := os.Stat(repo.Abs(rel))
	if err != nil {
		return false, err
	}
	return info.IsDir(), nil
}
