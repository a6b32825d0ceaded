package schema

import (
	"context"
	"fmt"
	"maps"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/schemas"
)

// lastServingFlux returns the newest embedded Flux release older than
// before that serves an object's apiVersion and kind, or "": the release
// whose CRD still describes an object written for a Flux that no longer
// serves it.
func lastServingFlux(obj map[string]any, before string) string {
	k, ok := parseGVK(obj)
	if !ok {
		return ""
	}
	flux, err := loadBundle(schemas.FluxBundle)
	if err != nil {
		return ""
	}
	last := ""
	for _, r := range flux.Releases {
		if r.Version == before {
			break
		}
		if _, served := newCatalog(&bundle{Kinds: r.Kinds}).served[k]; served {
			last = r.Version
		}
	}
	return last
}

// olderFluxFindings validates a Flux object whose apiVersion the cluster's
// Flux release no longer serves against the last release that served it:
// its unknown fields and wrong types are defects of their own, which the
// move to the served apiVersion must not carry over; an object that the
// served apiVersion's schema accepts has only its apiVersion wrong, and
// gets none. The findings say which release's schema found them. Other
// kinds, and Flux kinds whose schema came from a CRD of the repository or
// the catalogue, get none.
func (s *Checker) olderFluxFindings(ctx context.Context, v *Validator, o *model.Object, unserved Result, content map[string]any,
	set *CRDSet, opts ValidateOptions, base finding.Finding) []finding.Finding {
	if unserved.Source != "" || unserved.FromCRD || !v.IsFluxGroup(model.Group(o.Ref.APIVersion)) {
		return nil
	}
	if len(unserved.Served) > 0 && v.ValidateIn(ctx, withAPIVersion(content, unserved.Served[len(unserved.Served)-1]), set, opts).Status == Valid {
		// The object is written for the served apiVersion: only its
		// apiVersion is wrong.
		return nil
	}
	release := lastServingFlux(content, v.FluxVersion())
	if release == "" {
		return nil
	}
	older, err := s.validators.get(validatorKey{kube: v.KubernetesVersion(), flux: release})
	if err != nil {
		return nil
	}
	r := older.ValidateIn(ctx, content, set, opts)
	if r.Status != Invalid {
		return nil
	}
	var out []finding.Finding
	for _, viol := range r.Violations {
		f := base
		f.RuleID, f.Pos = viol.Rule, o.PosOf(viol.Path)
		f.Message = fmt.Sprintf("%s (by the schema of Flux %s, the last release that serves %s)", viol.Message, release, o.Ref.APIVersion)
		out = append(out, f)
	}
	return out
}

// withAPIVersion returns a shallow copy of an object with another
// apiVersion.
func withAPIVersion(content map[string]any, apiVersion string) map[string]any {
	out := maps.Clone(content)
	out["apiVersion"] = apiVersion
	return out
}
