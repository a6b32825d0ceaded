package helm

import (
	"regexp"
	"strings"
)

// A SchemaError says which values break the chart's values.schema.json.
type SchemaError struct {
	Violations []SchemaViolation
	msg        string
}

// A SchemaViolation is one value that breaks the schema: its path in the
// values and what is wrong.
type SchemaViolation struct {
	Path    []string
	Message string
}

func (e *SchemaError) Error() string { return e.msg }

var schemaViolation = regexp.MustCompile(`^- at '([^']*)': (.*)$`)

// schemaError reads Helm's values schema error, one "- at '/path': text"
// line a violation; it returns nil for other errors.
func schemaError(err error) *SchemaError {
	raw := err.Error()
	if !strings.Contains(raw, "values don't meet the specifications of the schema") {
		return nil
	}
	se := &SchemaError{msg: strings.Join(strings.Fields(raw), " ")}
	for _, line := range strings.Split(raw, "\n") {
		m := schemaViolation.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		var path []string
		if p := strings.Trim(m[1], "/"); p != "" {
			for _, seg := range strings.Split(p, "/") {
				path = append(path, strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~"))
			}
		}
		se.Violations = append(se.Violations, SchemaViolation{Path: path, Message: m[2]})
	}
	return se
}
