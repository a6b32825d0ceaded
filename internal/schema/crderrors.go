package schema

import (
	"encoding/json"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation/field"
)

// RuleCEL is the rule of a failed x-kubernetes-validations rule of a CRD.
const RuleCEL = "schema-cel"

// fieldViolation turns one error of the API server's validation into a
// violation at its field, in the words the jsonschema path uses.
func fieldViolation(obj map[string]any, e *field.Error) Violation {
	path := splitFieldPath(obj, e.Field)
	switch e.Type {
	case field.ErrorTypeRequired:
		if len(path) == 0 {
			return Violation{Rule: RuleRequired, Message: "missing required field"}
		}
		return Violation{Path: path[:len(path)-1], Rule: RuleRequired,
			Message: "missing required field " + quote(path[len(path)-1])}
	case field.ErrorTypeNotSupported:
		allowed := strings.TrimPrefix(e.Detail, "supported values: ")
		return Violation{Path: path, Rule: RuleInvalid,
			Message: oneLine("value " + display(e.BadValue) + " must be one of: " + allowed)}
	case field.ErrorTypeDuplicate:
		return Violation{Path: path, Rule: RuleInvalid, Message: "duplicate list item " + compact(e.BadValue)}
	case field.ErrorTypeTooLong, field.ErrorTypeTooMany:
		return Violation{Path: path, Rule: RuleInvalid, Message: oneLine("invalid value: " + e.ErrorBody())}
	}
	return Violation{Path: path, Rule: RuleInvalid, Message: oneLine("invalid value: " + detail(e.Detail))}
}

// celViolation turns the error of a failed CEL rule into a violation. The
// message is the rule's message or messageExpression, never the value the
// rule saw (which may be a whole spec, or a Secret's data).
func celViolation(obj map[string]any, e *field.Error) Violation {
	msg := e.Detail
	if msg == "" {
		msg = e.Type.String()
	}
	return Violation{Path: splitFieldPath(obj, e.Field), Rule: RuleCEL, Message: oneLine(msg)}
}

// detail drops the "<path> in body " prefix of a go-openapi message: the
// finding's position already says where.
func detail(d string) string {
	if _, rest, ok := strings.Cut(d, " in body "); ok {
		return rest
	}
	return d
}

// compact prints a value as short JSON: a list-map item's keys, a set's
// value.
func compact(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return display(v)
	}
	return truncate(string(data))
}
