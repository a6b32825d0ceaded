package check

import (
	"slices"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/flux"
	"github.com/fluxlint/fluxlint/internal/helm"
	"github.com/fluxlint/fluxlint/internal/policy"
	"github.com/fluxlint/fluxlint/internal/render"
	"github.com/fluxlint/fluxlint/internal/schema"
	"github.com/fluxlint/fluxlint/internal/source"
	"github.com/fluxlint/fluxlint/internal/xref"
)

// Catalog returns every rule fluxlint reports. Each stage defines the
// rules it reports, next to the code that reports them; the catalogue is
// the list of stages, in pipeline order, and sorts their rules by ID.
func Catalog() (*finding.Catalog, error) {
	// The built-in policy rules come from the METADATA of the Rego files.
	policies, err := policy.Rules()
	if err != nil {
		return nil, err
	}
	return finding.NewCatalog(slices.Concat(
		source.Rules(), // load: yaml-…
		render.Rules(), // render: render-…
		flux.Rules(),   // discover: flux-…
		helm.Rules(),   // render: helm-…
		schema.Rules(), // check: schema-…
		xref.Rules(),   // check: ref-…
		policies,       // check: policy-…
		Rules(),        // the pipeline: internal-error, suppression-…
	)...)
}
