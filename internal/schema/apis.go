package schema

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/fluxlint/fluxlint/schemas"
)

// KubernetesAPIs returns what the API server of an embedded Kubernetes
// version, e.g. "1.37", lists in discovery for its built-in types, in the
// form Helm reads discovery into .Capabilities.APIVersions (helm-controller
// renders with the cluster's discovery): each served group/version, such
// as "policy/v1", and each served group/version/Kind, such as
// "policy/v1/PodDisruptionBudget" or "v1/Pod". Charts commonly test the
// latter to choose an apiVersion. Only GA versions are listed: alpha and
// most beta APIs are off unless the cluster's administrator turns them on,
// and Helm's default set already names every group/version it knows. Types
// that are no resource of their own (lists, Status, APIGroup, APIVersions)
// are left out, as discovery leaves them out.
func KubernetesAPIs(version string) ([]string, error) {
	version, err := ResolveKubernetesVersion(version)
	if err != nil {
		return nil, err
	}
	b, err := loadBundle(schemas.KubernetesBundlePrefix + version + schemas.KubernetesBundleSuffix)
	if err != nil {
		return nil, fmt.Errorf("load Kubernetes %s schemas: %w", version, err)
	}
	seen := map[string]bool{}
	for _, e := range b.Kinds {
		if !e.Served || !gaVersion.MatchString(e.Version) || !resourceKind(e.Kind) {
			continue
		}
		gv := gvk{group: e.Group, version: e.Version}.apiVersion()
		seen[gv] = true
		seen[gv+"/"+e.Kind] = true
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out, nil
}

// gaVersion matches a GA API version, such as v1 or v2.
var gaVersion = regexp.MustCompile(`^v[0-9]+$`)

// resourceKind says whether a kind of the OpenAPI spec is that of a
// resource, which discovery lists, rather than a list or a response.
func resourceKind(kind string) bool {
	switch kind {
	case "APIGroup", "APIVersions", "Status":
		return false
	}
	return !strings.HasSuffix(kind, "List")
}
