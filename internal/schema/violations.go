package schema

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// maxValueLen is the longest value quoted in a message; longer ones are
// cut and end with "...".
const maxValueLen = 40

// maxEnumValues is the most allowed values an enum message lists.
const maxEnumValues = 12

var printer = message.NewPrinter(language.English)

// violations flattens the error tree of one failed validation into sorted,
// de-duplicated violations, one per leaf problem.
func violations(root *jsonschema.ValidationError) []Violation {
	var out []Violation
	collect(root, &out)
	sort.Slice(out, func(i, j int) bool { return lessViolation(out[i], out[j]) })
	return slices.CompactFunc(out, func(a, b Violation) bool {
		return slices.Equal(a.Path, b.Path) && a.Rule == b.Rule && a.Message == b.Message
	})
}

// lessViolation orders violations by path, then message, then rule.
func lessViolation(a, b Violation) bool {
	if c := comparePaths(a.Path, b.Path); c != 0 {
		return c < 0
	}
	if a.Message != b.Message {
		return a.Message < b.Message
	}
	return a.Rule < b.Rule
}

// comparePaths compares paths element by element, list indices by number,
// so that [containers 2] comes before [containers 10].
func comparePaths(a, b []string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] == b[i] {
			continue
		}
		if isDigits(a[i]) && isDigits(b[i]) && len(a[i]) != len(b[i]) {
			return len(a[i]) - len(b[i])
		}
		return strings.Compare(a[i], b[i])
	}
	return len(a) - len(b)
}

// collect appends the violations of e and its causes to out. For a failed
// anyOf or oneOf it follows only the alternative that got furthest, so
// that people read about the form they most likely meant.
func collect(e *jsonschema.ValidationError, out *[]Violation) {
	switch k := e.ErrorKind.(type) {
	case *kind.AnyOf:
		collectAlternatives(e, out)
		return
	case *kind.OneOf:
		if k.Subschemas == nil {
			collectAlternatives(e, out)
			return
		}
	}
	if len(e.Causes) == 0 {
		*out = append(*out, leafViolations(e)...)
		return
	}
	for _, c := range e.Causes {
		collect(c, out)
	}
}

// collectAlternatives reports a failed anyOf or oneOf whose alternatives
// all failed. When no alternative got past the value itself and they all
// ask for a missing field, it reports one missing field among several;
// otherwise it reports the alternative whose problems lie deepest.
func collectAlternatives(e *jsonschema.ValidationError, out *[]Violation) {
	if len(e.Causes) == 0 {
		*out = append(*out, Violation{Path: clone(e.InstanceLocation), Rule: RuleInvalid,
			Message: "invalid value: matches none of the allowed forms"})
		return
	}
	var best []Violation
	bestDepth := -1
	var missing []string
	allRequired := true
	for _, c := range e.Causes {
		var vs []Violation
		collect(c, &vs)
		depth := 0
		for _, v := range vs {
			depth = max(depth, len(v.Path))
			if v.Rule != RuleRequired || !slices.Equal(v.Path, e.InstanceLocation) {
				allRequired = false
			}
		}
		if name, ok := missingField(c); ok {
			missing = appendUnique(missing, name)
		}
		if depth > bestDepth {
			best, bestDepth = vs, depth
		}
	}
	if allRequired && len(missing) > 1 {
		quoted := make([]string, len(missing))
		for i, m := range missing {
			quoted[i] = strconv.Quote(m)
		}
		*out = append(*out, Violation{Path: clone(e.InstanceLocation), Rule: RuleRequired,
			Message: "missing required field: one of " + strings.Join(quoted, ", ")})
		return
	}
	*out = append(*out, best...)
}

// missingField returns the single field that alternative e requires, if
// that is its only problem.
func missingField(e *jsonschema.ValidationError) (string, bool) {
	for len(e.Causes) == 1 {
		e = e.Causes[0]
	}
	req, ok := e.ErrorKind.(*kind.Required)
	if !ok || len(e.Causes) != 0 || len(req.Missing) != 1 {
		return "", false
	}
	return req.Missing[0], true
}

// leafViolations turns one leaf error into violations.
func leafViolations(e *jsonschema.ValidationError) []Violation {
	path := e.InstanceLocation
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		out := make([]Violation, 0, len(k.Properties))
		for _, p := range k.Properties {
			out = append(out, Violation{Path: append(clone(path), p), Rule: RuleUnknownField,
				Message: "unknown field " + quote(p)})
		}
		return out
	case *kind.Required:
		out := make([]Violation, 0, len(k.Missing))
		for _, m := range k.Missing {
			out = append(out, Violation{Path: clone(path), Rule: RuleRequired,
				Message: "missing required field " + quote(m)})
		}
		return out
	}
	return []Violation{{Path: clone(path), Rule: RuleInvalid, Message: invalidMessage(e.ErrorKind)}}
}

// invalidMessage describes a wrong value.
func invalidMessage(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Type:
		return "invalid value: got " + k.Got + ", want " + strings.Join(k.Want, " or ")
	case *kind.Enum:
		want := make([]string, 0, len(k.Want))
		for i, w := range k.Want {
			if i == maxEnumValues {
				want = append(want, "...")
				break
			}
			want = append(want, display(w))
		}
		return "value " + display(k.Got) + " must be one of: " + strings.Join(want, ", ")
	case *kind.Const:
		return "value " + display(k.Got) + " must be " + display(k.Want)
	case *kind.Pattern:
		return "value " + quote(k.Got) + " must match pattern " + quote(k.Want)
	case *kind.OneOf:
		return "invalid value: matches more than one of the allowed forms"
	case *kind.FalseSchema:
		return "invalid value: no value is allowed here"
	}
	if msg, ok := boundMessage(k); ok {
		return "invalid value: " + msg
	}
	return oneLine("invalid value: " + k.LocalizedString(printer))
}

// boundMessage describes a value outside a numeric or size bound.
func boundMessage(k jsonschema.ErrorKind) (string, bool) {
	switch k := k.(type) {
	case *kind.Minimum:
		return rat(k.Got) + " is less than the minimum " + rat(k.Want), true
	case *kind.Maximum:
		return rat(k.Got) + " is more than the maximum " + rat(k.Want), true
	case *kind.ExclusiveMinimum:
		return rat(k.Got) + " must be more than " + rat(k.Want), true
	case *kind.ExclusiveMaximum:
		return rat(k.Got) + " must be less than " + rat(k.Want), true
	case *kind.MultipleOf:
		return rat(k.Got) + " is not a multiple of " + rat(k.Want), true
	case *kind.MinLength:
		return fmt.Sprintf("length %d is less than the minimum %d", k.Got, k.Want), true
	case *kind.MaxLength:
		return fmt.Sprintf("length %d is more than the maximum %d", k.Got, k.Want), true
	case *kind.MinItems:
		return fmt.Sprintf("%d items, want at least %d", k.Got, k.Want), true
	case *kind.MaxItems:
		return fmt.Sprintf("%d items, want at most %d", k.Got, k.Want), true
	case *kind.MinProperties:
		return fmt.Sprintf("%d fields, want at least %d", k.Got, k.Want), true
	case *kind.MaxProperties:
		return fmt.Sprintf("%d fields, want at most %d", k.Got, k.Want), true
	case *kind.UniqueItems:
		return fmt.Sprintf("items %d and %d are equal", k.Duplicates[0], k.Duplicates[1]), true
	}
	return "", false
}

// display renders a JSON value for a message: strings quoted, everything
// short.
func display(v any) string {
	switch t := v.(type) {
	case string:
		return quote(t)
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case nil:
		return "null"
	case json.Number:
		return truncate(t.String())
	}
	return truncate(fmt.Sprint(v))
}

// rat prints a number exactly, without a fraction when it is whole.
func rat(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return truncate(r.Num().String())
	}
	f := strings.TrimRight(r.FloatString(6), "0")
	return truncate(strings.TrimSuffix(f, "."))
}

func quote(s string) string {
	return strconv.Quote(truncate(s))
}

func truncate(s string) string {
	r := []rune(s)
	if len(r) <= maxValueLen {
		return s
	}
	return string(r[:maxValueLen]) + "..."
}

// oneLine joins the lines of s and drops a trailing period.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if strings.HasSuffix(s, "...") {
		return s
	}
	return strings.TrimSuffix(s, ".")
}
