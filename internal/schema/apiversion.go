package schema

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// kubeVersion matches a Kubernetes API version such as v1, v2beta1 or
// v1alpha3.
var kubeVersion = regexp.MustCompile(`^v([0-9]+)(?:(alpha|beta)([0-9]+))?$`)

// sortAPIVersions sorts apiVersions by group, then from the least to the
// most preferred version as Kubernetes orders them (alpha before beta
// before GA, then by number), so that within one group the last is the
// one to use.
func sortAPIVersions(list []string) {
	sort.Slice(list, func(i, j int) bool { return lessAPIVersion(list[i], list[j]) })
}

func lessAPIVersion(a, b string) bool {
	ga, va := splitAPIVersion(a)
	gb, vb := splitAPIVersion(b)
	if ga != gb {
		return ga < gb
	}
	pa, pb := versionPriority(va), versionPriority(vb)
	for i := range pa {
		if pa[i] != pb[i] {
			return pa[i] < pb[i]
		}
	}
	return va < vb
}

func splitAPIVersion(apiVersion string) (group, version string) {
	if g, v, ok := strings.Cut(apiVersion, "/"); ok {
		return g, v
	}
	return "", apiVersion
}

// versionPriority returns {stability, major, minor}: stability is 0 for a
// version that does not look like a Kubernetes one, 1 for alpha, 2 for
// beta and 3 for GA.
func versionPriority(version string) [3]int {
	m := kubeVersion.FindStringSubmatch(version)
	if m == nil {
		return [3]int{}
	}
	major, _ := strconv.Atoi(m[1])
	minor, _ := strconv.Atoi(m[3])
	switch m[2] {
	case "alpha":
		return [3]int{1, major, minor}
	case "beta":
		return [3]int{2, major, minor}
	}
	return [3]int{3, major, 0}
}
