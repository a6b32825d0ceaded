package schema

import (
	"errors"
	"strings"
)

// NearestFluxVersion returns the embedded Flux release to validate a
// cluster that runs Flux version with, and whether it is the release
// version names. version takes the forms ResolveFluxVersion takes; ""
// names the newest embedded release, as do a bare major ("2", "v2") and
// "2.x". A release that is not embedded gives the newest embedded release
// not newer than it (2.8 gives 2.7), or the oldest when all are newer; a
// version that cannot be read gives the newest. The error is only for a
// build with no Flux schemas.
func NearestFluxVersion(version string) (release string, exact bool, err error) {
	return nearest(FluxVersions(), version, "Flux")
}

// NearestKubernetesVersion is NearestFluxVersion for the embedded
// Kubernetes versions: "1.38" gives the newest embedded, "1.30" the
// oldest, and a patch version ("v1.35.2") names its minor.
func NearestKubernetesVersion(version string) (embedded string, exact bool, err error) {
	return nearest(Versions(), version, "Kubernetes")
}

// nearest picks from versions (oldest first) the one to use for version.
func nearest(versions []string, version, what string) (string, bool, error) {
	if len(versions) == 0 {
		return "", false, errors.New("no " + what + " schemas are embedded")
	}
	newest := versions[len(versions)-1]
	if version == "" {
		return newest, true, nil
	}
	minor, ok := majorMinor(version)
	if !ok {
		return newest, false, nil
	}
	if !strings.Contains(minor, ".") {
		// A bare major names its newest embedded minor.
		for i := len(versions) - 1; i >= 0; i-- {
			if strings.HasPrefix(versions[i], minor+".") {
				return versions[i], true, nil
			}
		}
		return newest, false, nil
	}
	pick := versions[0]
	for _, v := range versions {
		if v == minor {
			return v, true, nil
		}
		if versionLess(v, minor) {
			pick = v
		}
	}
	return pick, false, nil
}

// majorMinor returns the "MAJOR.MINOR" of a version written with or
// without "v", with an optional patch number or "x", or only "MAJOR" for
// "MAJOR" and "MAJOR.x", with or without "v". It reports false for
// anything else.
func majorMinor(version string) (string, bool) {
	if m, ok := fluxMinor(version); ok {
		return m, true
	}
	major := strings.TrimPrefix(version, "v")
	major = strings.TrimSuffix(strings.TrimSuffix(major, ".x"), ".X")
	if isDigits(major) {
		return major, true
	}
	return "", false
}
