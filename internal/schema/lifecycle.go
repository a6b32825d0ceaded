package schema

import (
	"fmt"

	"github.com/fluxlint/fluxlint/schemas"
)

// A lifecycle says, for one target Kubernetes version, which of its
// apiVersions later embedded versions stop serving, and which apiVersions
// that earlier embedded versions served it no longer serves. It is derived
// from the embedded schemas themselves (which kinds each version's OpenAPI
// spec serves), not from a hand-written table, so it covers exactly the
// embedded range: a removal before the oldest embedded version shows only
// as an unserved apiVersion, and one after the newest is not known.
type lifecycle struct {
	// removal maps a kind the target serves to the first later version
	// that does not, with that version's apiVersion of the kind.
	removal map[gvk]removal
	// removedIn maps a kind an earlier version served, and the target does
	// not, to the first version that stopped serving it.
	removedIn map[gvk]string
}

type removal struct {
	version     string // the first Kubernetes or Flux version that no longer serves it
	replacement string // the preferred apiVersion of the kind there, or ""
	flux        bool   // version is a Flux release
}

// newLifecycle returns the lifecycle of a target Kubernetes version from
// the embedded table (lifecycles.json), or, for a version the table lacks,
// compares the kinds each embedded version serves.
func newLifecycle(target string) (*lifecycle, error) {
	if l, ok := tableLifecycle(lifecycleTable, target); ok {
		return l, nil
	}
	return bundleLifecycle(target)
}

// bundleLifecycle compares the kinds each embedded Kubernetes version
// serves (their bundles' kinds, each decoded whole: 8 ms a run, which the
// table saves).
func bundleLifecycle(target string) (*lifecycle, error) {
	versions := Versions()
	catalogs := make([]*catalog, len(versions))
	at := -1
	for i, v := range versions {
		kinds, err := loadKinds(schemas.KubernetesBundlePrefix + v + schemas.KubernetesBundleSuffix)
		if err != nil {
			return nil, fmt.Errorf("load Kubernetes %s schemas: %w", v, err)
		}
		catalogs[i] = newCatalog(&bundle{Kinds: kinds})
		if v == target {
			at = i
		}
	}
	l := &lifecycle{removal: map[gvk]removal{}, removedIn: map[gvk]string{}}
	if at < 0 {
		return l, nil
	}
	for k := range catalogs[at].served {
		for j := at + 1; j < len(versions); j++ {
			if _, ok := catalogs[j].served[k]; ok {
				continue
			}
			r := removal{version: versions[j]}
			if list := catalogs[j].kindVersion[gvk{group: k.group, kind: k.kind}]; len(list) > 0 {
				r.replacement = list[len(list)-1]
			}
			l.removal[k] = r
			break
		}
	}
	for i := at - 1; i >= 0; i-- {
		for k := range catalogs[i].served {
			if _, ok := catalogs[at].served[k]; ok {
				continue
			}
			if _, seen := l.removedIn[k]; !seen {
				l.removedIn[k] = versions[i+1]
			}
		}
	}
	return l, nil
}

// deprecation returns the warning for a kind the target serves that a
// later embedded version removes, given the warning its CRD gives, if any,
// and the apiVersion to move to. A Kubernetes kind with a warning of its own
// keeps it; a Flux kind's CRD warning gets the removal added.
func (l *lifecycle) deprecation(k gvk, warning string) (msg, replacement string) {
	r, ok := l.removal[k]
	if !ok || (warning != "" && !r.flux) {
		return warning, ""
	}
	switch {
	case !r.flux:
		msg = fmt.Sprintf("%s %s is removed in Kubernetes %s", k.apiVersion(), k.kind, r.version)
	case warning != "":
		return fmt.Sprintf("%s; Flux %s and later do not serve it", warning, r.version), r.replacement
	default:
		msg = fmt.Sprintf("%s %s is not served by Flux %s and later", k.apiVersion(), k.kind, r.version)
	}
	if r.replacement != "" {
		msg += "; use " + r.replacement
	}
	return msg, r.replacement
}
