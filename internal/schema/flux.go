package schema

import (
	"fmt"
	"strings"

	"github.com/fluxlint/fluxlint/schemas"
)

// A fluxRelease is one Flux release of the Flux bundle: the kinds its CRDs
// define, served or not, and the indexes of its CRDs in the bundle's CRDs.
type fluxRelease struct {
	Version string      `json:"version"`
	Sources []string    `json:"sources"`
	Kinds   []kindEntry `json:"kinds"`
	CRDs    []int       `json:"crds"`
}

// FluxVersions returns the embedded Flux releases, oldest first, e.g.
// ["2.0", "2.2", ..., "2.9"]. They come from the Flux bundle, so they are
// the releases tools/schemagen generated.
func FluxVersions() []string {
	b, err := loadBundle(schemas.FluxBundle)
	if err != nil {
		return nil
	}
	out := make([]string, len(b.Releases))
	for i, r := range b.Releases {
		out[i] = r.Version
	}
	return out
}

// ResolveFluxVersion returns the embedded release that version names:
// "2.4", "v2.4", "2.4.0", "v2.4.1" and "2.4.x" all name "2.4"; "" names the
// newest. Any other version is an error that lists the embedded releases.
func ResolveFluxVersion(version string) (string, error) {
	versions := FluxVersions()
	if len(versions) == 0 {
		return "", fmt.Errorf("no Flux schemas are embedded")
	}
	if version == "" {
		return versions[len(versions)-1], nil
	}
	minor, ok := fluxMinor(version)
	if ok {
		for _, v := range versions {
			if v == minor {
				return v, nil
			}
		}
	}
	return "", fmt.Errorf("unsupported Flux version %q: embedded Flux releases are %s",
		version, strings.Join(versions, ", "))
}

// fluxMinor returns the "MAJOR.MINOR" of a Flux version written with or
// without "v" and with an optional patch number or "x".
func fluxMinor(version string) (string, bool) {
	parts := strings.Split(strings.TrimPrefix(version, "v"), ".")
	if len(parts) < 2 || len(parts) > 3 || !isDigits(parts[0]) || !isDigits(parts[1]) {
		return "", false
	}
	if len(parts) == 3 && !isDigits(parts[2]) && parts[2] != "x" && parts[2] != "X" {
		return "", false
	}
	return parts[0] + "." + parts[1], true
}

// fluxReleaseBundle returns the view of the Flux bundle that one release
// sees: the shared definitions, the release's kinds and its CRDs.
func fluxReleaseBundle(flux *bundle, version string) (*bundle, error) {
	for _, r := range flux.Releases {
		if r.Version != version {
			continue
		}
		view := &bundle{Sources: r.Sources, Definitions: flux.Definitions, Kinds: r.Kinds}
		for _, i := range r.CRDs {
			if i < 0 || i >= len(flux.CRDs) {
				return nil, fmt.Errorf("flux bundle: release %s refers to CRD %d of %d", version, i, len(flux.CRDs))
			}
			view.CRDs = append(view.CRDs, flux.CRDs[i])
		}
		return view, nil
	}
	return nil, fmt.Errorf("flux bundle has no release %s", version)
}

// addFluxRemovals adds to l, for each kind that release target serves, the
// first later embedded release that no longer serves it, with the
// apiVersion of the kind that release prefers. Like the Kubernetes
// lifecycle, it is derived from the embedded CRDs, so it covers exactly the
// embedded releases.
func (l *lifecycle) addFluxRemovals(flux *bundle, target string) error {
	at := -1
	catalogs := make([]*catalog, len(flux.Releases))
	for i, r := range flux.Releases {
		catalogs[i] = newCatalog(&bundle{Kinds: r.Kinds})
		if r.Version == target {
			at = i
		}
	}
	if at < 0 {
		return fmt.Errorf("flux bundle has no release %s", target)
	}
	for k := range catalogs[at].served {
		for j := at + 1; j < len(catalogs); j++ {
			if _, ok := catalogs[j].served[k]; ok {
				continue
			}
			r := removal{version: flux.Releases[j].Version, flux: true}
			if list := catalogs[j].kindVersion[gvk{group: k.group, kind: k.kind}]; len(list) > 0 {
				r.replacement = list[len(list)-1]
			}
			l.removal[k] = r
			break
		}
	}
	return nil
}
