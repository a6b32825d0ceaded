package schema

import (
	"maps"
	"slices"
	"strings"
)

// Options configure a Validator.
type Options struct {
	// KubernetesVersion selects the built-in schemas, e.g. "1.35"; "" is
	// the newest embedded.
	KubernetesVersion string
	// FluxVersion selects the embedded Flux release, e.g. "2.4", "v2.4.1"
	// or "2.4.x"; "" is the newest embedded.
	FluxVersion string
	// Locations are kubeconform-style schema locations, used for kinds
	// that neither the embedded schemas nor a CRD describe.
	Locations []string
	// Offline leaves out locations that are URLs.
	Offline bool
	// NoCatalogue turns the embedded CRD catalogue off: kinds that neither
	// the embedded schemas nor a CRD nor a location describe stay without
	// a schema.
	NoCatalogue bool
	// CatalogueVersions pins projects of the catalogue to an embedded
	// version other than their default, e.g. {"gateway-api": "v1.6.3"};
	// an unknown project or version is an error.
	CatalogueVersions map[string]string
}

// NewWithOptions returns a Validator configured by opts.
func NewWithOptions(opts Options) (*Validator, error) {
	v, err := newFor(opts.KubernetesVersion, opts.FluxVersion)
	if err != nil {
		return nil, err
	}
	if v.locations, err = newLocations(opts.Locations, v.version, opts.Offline); err != nil {
		return nil, err
	}
	if v.catalogue, err = newCatalogueChoice(opts.NoCatalogue, opts.CatalogueVersions); err != nil {
		return nil, err
	}
	return v, nil
}

// FluxVersion returns the Flux release whose CRDs v uses, e.g. "2.9".
func (v *Validator) FluxVersion() string {
	return v.fluxVersion
}

// IsFluxGroup reports whether group is an API group of the embedded Flux
// CRDs, e.g. "kustomize.toolkit.fluxcd.io"; Flux Operator's group, whose
// CRDs do not depend on the Flux release, is not one.
func (v *Validator) IsFluxGroup(group string) bool {
	if group == FluxOperatorGroup {
		return false
	}
	for gk := range v.fluxCRDs {
		if gk.group == group {
			return true
		}
	}
	return false
}

// contextParts describes what of the options is the cluster's, beyond the
// Flux Operator setting, for the context of kept results: the catalogue
// versions its forks choose and the Flux kinds its FluxInstance deletes.
func (o ValidateOptions) contextParts() []string {
	var parts []string
	for _, project := range slices.Sorted(maps.Keys(o.Catalogue)) {
		parts = append(parts, "catalogue "+project+" "+o.Catalogue[project])
	}
	for _, gk := range slices.SortedFunc(maps.Keys(o.deleted), func(a, b groupKind) int {
		return strings.Compare(a.group+"/"+a.kind, b.group+"/"+b.kind)
	}) {
		parts = append(parts, "deleted "+gk.group+"/"+gk.kind)
	}
	return parts
}
