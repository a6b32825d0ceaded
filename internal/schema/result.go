package schema

import "strings"

// Status says what Validate concluded about an object.
type Status int

// The outcomes of Validate.
const (
	// Valid means the object matches its schema.
	Valid Status = iota
	// Invalid means the object breaks its schema; Violations say why.
	Invalid
	// NoSchema means there is no embedded schema for the object's group
	// and kind (a third-party CRD, a List, or no apiVersion or kind).
	NoSchema
	// UnservedVersion means the group is known but its apiVersion does not
	// serve the kind; Served lists the apiVersions that do.
	UnservedVersion
)

// String returns the status name in lower case, e.g. "no-schema".
func (s Status) String() string {
	switch s {
	case Valid:
		return "valid"
	case Invalid:
		return "invalid"
	case NoSchema:
		return "no-schema"
	case UnservedVersion:
		return "unserved-version"
	default:
		return "unknown"
	}
}

// Rule IDs of violations.
const (
	RuleUnknownField = "schema-unknown-field"
	RuleRequired     = "schema-required"
	RuleInvalid      = "schema-invalid"
)

// A Result is the outcome of validating one object.
type Result struct {
	Status Status
	// Served lists, with UnservedVersion, the apiVersions that serve the
	// kind; if the group does not have the kind at all, the apiVersions the
	// group serves. They are sorted from the least to the most preferred
	// (alpha, beta, GA, then by number, as Kubernetes orders versions), so
	// the last one is the one to move to.
	Served []string
	// Deprecated is non-empty when the apiVersion is served but deprecated
	// (its CRD says so) or a later embedded Kubernetes version no longer
	// serves it; it is one line for people.
	Deprecated string
	// Replacement is, with Deprecated, the apiVersion to move to, if any.
	Replacement string
	// RemovedIn is, with UnservedVersion, the Kubernetes version that
	// stopped serving the apiVersion, when an embedded version served it.
	RemovedIn string
	// FromCRD says the kind's schema comes from a CRD: the cluster's, or
	// the catalogue's when Source is set.
	FromCRD bool
	// Source names, for a kind validated with the embedded CRD catalogue,
	// the catalogue's project and version, e.g. "cert-manager v1.21.2".
	Source string
	// Violations are sorted by path, then rule, then message.
	Violations []Violation
}

// A Violation is one way in which an object breaks its schema.
type Violation struct {
	// Path is the JSON path into the object: map keys, and list indices as
	// decimal strings. For an unknown field it is the path of the unknown
	// key; for a missing required field, the path of the object that lacks
	// it; for a wrong value, the path of the value.
	Path []string
	// Rule is RuleUnknownField, RuleRequired or RuleInvalid.
	Rule string
	// Message is one line for people, without a trailing period.
	Message string
}

// PathString returns the path in dotted form with list indices in brackets,
// e.g. "spec.template.spec.containers[0].name", or "" for the object itself.
func (v Violation) PathString() string {
	var b strings.Builder
	for _, p := range v.Path {
		if isDigits(p) {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// isDigits reports a non-empty string of decimal digits: a list index in a
// field path, or a part of a version number.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
