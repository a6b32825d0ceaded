package schema

import (
	"fmt"
	"strings"
)

// fluxVersions are the Flux releases whose CRDs are embedded, oldest first:
// the release that ships the controller versions schemas/gen reads
// (source-controller and kustomize-controller v1.9, helm-controller v1.6).
var fluxVersions = []string{"2.9"}

// FluxVersions returns the embedded Flux releases, oldest first.
func FluxVersions() []string {
	return clone(fluxVersions)
}

// Options configure a Validator.
type Options struct {
	// KubernetesVersion selects the built-in schemas, e.g. "1.35"; "" is
	// the newest embedded.
	KubernetesVersion string
	// FluxVersion selects the embedded Flux CRDs, e.g. "2.9" or "v2.9.1";
	// "" is the newest embedded.
	FluxVersion string
	// Locations are kubeconform-style schema locations, used for kinds
	// that neither the embedded schemas nor a CRD describe.
	Locations []string
	// Offline leaves out locations that are URLs.
	Offline bool
}

// NewWithOptions returns a Validator configured by opts.
func NewWithOptions(opts Options) (*Validator, error) {
	if err := checkFluxVersion(opts.FluxVersion); err != nil {
		return nil, err
	}
	v, err := New(opts.KubernetesVersion)
	if err != nil {
		return nil, err
	}
	v.fluxVersion = opts.FluxVersion
	if v.locations, err = newLocations(opts.Locations, v.version, opts.Offline); err != nil {
		return nil, err
	}
	return v, nil
}

// checkFluxVersion accepts an embedded Flux release, with or without "v"
// and a patch number.
func checkFluxVersion(version string) error {
	if version == "" {
		return nil
	}
	minor := strings.TrimPrefix(version, "v")
	if parts := strings.Split(minor, "."); len(parts) == 3 {
		minor = parts[0] + "." + parts[1]
	}
	for _, v := range fluxVersions {
		if v == minor {
			return nil
		}
	}
	return fmt.Errorf("unsupported Flux version %q: embedded Flux releases are %s",
		version, strings.Join(fluxVersions, ", "))
}

// FluxVersion returns the Flux release whose CRDs v uses, e.g. "2.9".
func (v *Validator) FluxVersion() string {
	if v.fluxVersion != "" {
		return strings.TrimPrefix(v.fluxVersion, "v")
	}
	return fluxVersions[len(fluxVersions)-1]
}

// IsFluxGroup reports whether group is an API group of the embedded Flux
// CRDs, e.g. "kustomize.toolkit.fluxcd.io".
func (v *Validator) IsFluxGroup(group string) bool {
	for gk := range v.fluxCRDs {
		if gk.group == group {
			return true
		}
	}
	return false
}
