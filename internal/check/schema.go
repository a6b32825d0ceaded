package check

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/schema"
	"github.com/fluxlint/fluxlint/internal/source"
)

// schemaCheck validates rendered objects, each cluster with the schemas of
// its Kubernetes version and Flux release, and reports each kind without a
// schema once per run.
type schemaCheck struct {
	validators *validatorSet
	// kubeVersion and fluxVersion are the run's versions, for clusters
	// that do not have their own; "" is the newest embedded.
	kubeVersion, fluxVersion string
	// crds are CRDs given on the command line or in the config, checked
	// in every cluster besides the cluster's own.
	crds    []*model.Object
	unknown map[string]bool
}

func newSchemaCheck(validators *validatorSet, kubeVersion, fluxVersion string, crds []*model.Object) *schemaCheck {
	return &schemaCheck{validators: validators, kubeVersion: kubeVersion, fluxVersion: fluxVersion,
		crds: crds, unknown: map[string]bool{}}
}

// Check validates every object of the cluster, custom resources against
// the CRDs the cluster (and the options) define.
func (s *schemaCheck) Check(ctx context.Context, c *model.Cluster) []finding.Finding {
	key, out, err := clusterVersions(c, s.kubeVersion, s.fluxVersion)
	var v *schema.Validator
	if err == nil {
		v, err = s.validators.get(key)
	}
	if err != nil {
		return append(out, finding.Finding{RuleID: RuleInternal, Severity: finding.Error, Cluster: c.Name,
			Pos: finding.Pos{File: c.Path}, Message: "the cluster's schemas cannot be loaded: " + err.Error()})
	}
	set, crdFindings := s.crdSet(v, c)
	out = append(out, crdFindings...)
	opts := schema.ValidateOptions{FluxOperator: c.Operator}
	for _, o := range c.Objects {
		out = append(out, s.checkObject(ctx, v, c, o, set, opts)...)
	}
	return out
}

// crdSet compiles the CRDs of the options and of the cluster; a CRD that
// cannot be read is a finding at its document.
func (s *schemaCheck) crdSet(v *schema.Validator, c *model.Cluster) (*schema.CRDSet, []finding.Finding) {
	objs := make([]*model.Object, 0, len(s.crds))
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
	set, errs := v.CRDSet(contents)
	var out []finding.Finding
	for _, e := range errs {
		o := objs[e.Index]
		out = append(out, finding.Finding{RuleID: schema.RuleCRDInvalid, Severity: finding.Error, Object: o.Ref,
			Cluster: c.Name, Chain: o.Chain, Pos: o.Origin,
			Message: "CRD cannot be read: " + e.Err.Error()})
	}
	return set, out
}

// checkObject validates one object with v.
func (s *schemaCheck) checkObject(ctx context.Context, v *schema.Validator, c *model.Cluster, o *model.Object,
	set *schema.CRDSet, opts schema.ValidateOptions) []finding.Finding {
	content, sops := withoutSOPS(o.Content)
	opts.SkipCEL = sops
	r := v.ValidateIn(ctx, content, set, opts)
	base := finding.Finding{Severity: finding.Error, Object: o.Ref, Cluster: c.Name, Chain: o.Chain}
	var out []finding.Finding
	if r.Deprecated != "" {
		f := base
		f.RuleID, f.Severity, f.Pos, f.Message = schema.RuleAPIDeprecated, finding.Warning, o.PosOf([]string{"apiVersion"}), r.Deprecated
		if r.Replacement != "" {
			f.Hint = "change apiVersion to " + r.Replacement + " and check the fields that changed"
		}
		out = append(out, f)
	}
	switch r.Status {
	case schema.Invalid:
		for _, viol := range r.Violations {
			if sops && viol.Rule != schema.RuleUnknownField && viol.Rule != schema.RuleRequired && encrypted(content, viol.Path) {
				continue // the value is ciphertext until Flux decrypts it
			}
			f := base
			f.RuleID, f.Message, f.Pos = viol.Rule, viol.Message, o.PosOf(viol.Path)
			if r.Source != "" {
				f.Hint = catalogueHint(r.Source)
			}
			out = append(out, f)
		}
	case schema.UnservedVersion:
		f := base
		f.RuleID, f.Pos = schema.RuleAPIVersion, o.PosOf([]string{"apiVersion"})
		f.Message = fmt.Sprintf("%s %s is not served by %s; served: %s",
			o.Ref.APIVersion, o.Ref.Kind, servedBy(v, o.Ref.APIVersion, r), strings.Join(r.Served, ", "))
		f.Hint = "change apiVersion to " + r.Served[len(r.Served)-1] + " and check the fields that changed"
		if r.Source != "" {
			f.Hint += "; " + catalogueHint(r.Source)
		}
		out = append(out, f)
	case schema.NoSchema:
		k := o.Ref.APIVersion + " " + o.Ref.Kind
		if s.unknown[k] {
			break
		}
		s.unknown[k] = true
		f := base
		f.Severity, f.RuleID, f.Pos, f.Cluster, f.Chain = finding.Info, schema.RuleUnknownKind, o.Origin, "", nil
		f.Message = fmt.Sprintf("no schema for %s %s: its objects are not validated (add its CRD to the repository or pass it with --crd)", o.Ref.APIVersion, o.Ref.Kind)
		out = append(out, f)
	}
	return out
}

// servedBy names what does not serve an apiVersion in v.
func servedBy(v *schema.Validator, apiVersion string, r schema.Result) string {
	group, _, _ := strings.Cut(apiVersion, "/")
	switch {
	case r.Source != "":
		return "the catalogue's " + r.Source
	case r.FromCRD:
		return "its CustomResourceDefinition"
	case r.RemovedIn != "":
		return "Kubernetes " + v.KubernetesVersion() + " (removed in " + r.RemovedIn + ")"
	case group == schema.FluxOperatorGroup:
		return "Flux Operator " + schema.FluxOperatorVersion()
	case v.IsFluxGroup(group):
		return "Flux " + v.FluxVersion()
	}
	return "Kubernetes " + v.KubernetesVersion()
}

// catalogueHint says where the schema of a finding came from when the CRD
// catalogue provided it, and how to use another.
func catalogueHint(source string) string {
	project, _, _ := strings.Cut(source, " ")
	return "schema from catalogue: " + source + " (if the cluster runs another version, add its CRD to the repository, " +
		"pin catalogueVersions." + project + " or pass --no-catalogue)"
}

func statDir(repo *source.Repo, rel string) (bool, error) {
	info, err := os.Stat(repo.Abs(rel))
	if err != nil {
		return false, err
	}
	return info.IsDir(), nil
}
