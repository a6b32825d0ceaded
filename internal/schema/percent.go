package schema

import (
	"fmt"
	"regexp"
	"sort"
)

// percentFields are, by API group and kind, the int-or-string fields that
// Kubernetes' own validation of the kind (pkg/apis/apps/validation and
// pkg/apis/policy/validation, ValidatePositiveIntOrPercent) accepts as a
// string only when it is a percentage, such as "25%": the OpenAPI schema
// says int-or-string and accepts any string. Written by hand because that
// validation lives in k8s.io/kubernetes, which is not a library to import.
var percentFields = map[gvk][][]string{
	{group: "apps", kind: "Deployment"}: {
		{"spec", "strategy", "rollingUpdate", "maxSurge"}, {"spec", "strategy", "rollingUpdate", "maxUnavailable"}},
	{group: "apps", kind: "DaemonSet"}: {
		{"spec", "updateStrategy", "rollingUpdate", "maxSurge"}, {"spec", "updateStrategy", "rollingUpdate", "maxUnavailable"}},
	{group: "apps", kind: "StatefulSet"}: {
		{"spec", "updateStrategy", "rollingUpdate", "maxUnavailable"}},
	{group: "policy", kind: "PodDisruptionBudget"}: {
		{"spec", "minAvailable"}, {"spec", "maxUnavailable"}},
}

// percentage is what Kubernetes' IsValidPercent accepts.
var percentage = regexp.MustCompile(`^[0-9]+%$`)

// percentViolations returns the int-or-string fields of an object that hold
// a string other than a percentage (percentFields), sorted with vs.
func percentViolations(k gvk, obj map[string]any, vs []Violation) []Violation {
	paths := percentFields[gvk{group: k.group, kind: k.kind}]
	added := false
	for _, path := range paths {
		s := stringAt(obj, path...)
		if s == "" || percentage.MatchString(s) {
			continue
		}
		vs = append(vs, Violation{Path: path, Rule: RuleInvalid,
			Message: fmt.Sprintf("%q is neither an integer nor a percentage such as \"25%%\"; the API server rejects it", s)})
		added = true
	}
	if added {
		sort.Slice(vs, func(i, j int) bool { return lessViolation(vs[i], vs[j]) })
	}
	return vs
}
