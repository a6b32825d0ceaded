package operator

import (
	"fmt"
	"strings"

	"github.com/Masterminds/semver/v3"
)

// Bounds of the search for the release a version range selects.
const (
	newestProbe = "2.999.0"
	maxMinor    = 99
	maxPatch    = 49
)

// DistributionVersion returns the Flux minor release that a FluxInstance's
// spec.distribution.version selects, such as "2.6", or "" for the newest
// release. The operator reads the field as a Masterminds semver constraint
// (internal/builder/semver.go MatchVersion) and installs the newest release
// that satisfies it, so every form that library accepts works: an exact
// version ("2.5.0", "v2.5.0"), wildcards ("2.x", "2.6.x", "*"), tilde and
// caret ranges ("~2.5.0", "^2.4"), comparisons and their combinations
// (">=2.4.0 <2.6.0", ">=2.3, <2.5 || 2.6.x"). A range with no upper bound
// below Flux 3 selects the newest release, "". So does an empty or
// unparsable value, which the operator would reject.
func DistributionVersion(fi map[string]any) string {
	return minorOf(versionString(field(fi, "spec", "distribution", "version")))
}

// versionString prints a version value that YAML may have decoded as a
// number (version: 2.6 is a float).
func versionString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(v)
	default:
		return fmt.Sprint(v)
	}
}

// minorOf returns the newest "2.N" that satisfies the constraint, or "".
func minorOf(constraint string) string {
	if constraint == "" {
		return ""
	}
	c, err := semver.NewConstraint(constraint)
	if err != nil {
		return ""
	}
	if c.Check(semver.MustParse(newestProbe)) {
		return ""
	}
	for minor := maxMinor; minor >= 0; minor-- {
		for patch := maxPatch; patch >= 0; patch-- {
			if c.Check(semver.New(2, uint64(minor), uint64(patch), "", "")) {
				return fmt.Sprintf("2.%d", minor)
			}
		}
	}
	// A pre-release such as 2.7.0-rc.1 only matches pre-releases.
	if v, err := semver.NewVersion(constraint); err == nil {
		return fmt.Sprintf("%d.%d", v.Major(), v.Minor())
	}
	return ""
}

// sourceAPIVersion returns the apiVersion the operator gives a sync source
// of kind OCIRepository or Bucket: source.toolkit.fluxcd.io/v1 from Flux
// 2.6 on, v1beta2 before (internal/builder/semver.go getSourceAPIVersion).
// fluxVersion is the installed release when known; otherwise the release
// follows from spec.distribution.version.
func sourceAPIVersion(fi map[string]any, fluxVersion string) string {
	const v1, v1beta2 = "source.toolkit.fluxcd.io/v1", "source.toolkit.fluxcd.io/v1beta2"
	var minor string
	if fluxVersion != "" {
		v, err := semver.NewVersion(fluxVersion)
		if err != nil {
			return v1beta2
		}
		if v.Compare(semver.MustParse("2.6.0")) >= 0 {
			return v1
		}
		return v1beta2
	}
	minor = DistributionVersion(fi)
	if minor == "" {
		return v1
	}
	v, err := semver.NewVersion(minor + ".0")
	if err != nil || v.LessThan(semver.MustParse("2.6.0")) {
		return v1beta2
	}
	return v1
}
