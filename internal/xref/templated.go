package xref

import (
	"regexp"
	"strings"
)

// A templatedName is the name of an object, rendered or made by one, that
// still holds ${VAR} variables after substitution: their values come from
// objects made in the cluster (an ExternalSecret's Secret), unknown
// offline. Any name that fits the pattern may be the object's.
type templatedName struct {
	kind, namespace string
	pattern         *regexp.Regexp
	by              string
}

// variableRE matches a Flux substitution variable, with its operators.
var variableRE = regexp.MustCompile(`\$\{[^}]*\}`)

// namePattern returns the pattern of the names a name with variables may
// become, each variable standing for one character or more; nil when the
// name holds no variable or nothing but variables (which says nothing).
func namePattern(name string) *regexp.Regexp {
	if !strings.Contains(name, "${") {
		return nil
	}
	literals := variableRE.Split(name, -1)
	if strings.Join(literals, "") == "" {
		return nil
	}
	for i, l := range literals {
		literals[i] = regexp.QuoteMeta(l)
	}
	re, err := regexp.Compile("^" + strings.Join(literals, ".+") + "$")
	if err != nil {
		return nil
	}
	return re
}

// addTemplated records a name with variables; it reports whether the name
// holds any, in which case it names no object as written.
func (ix *index) addTemplated(kind, namespace, name, by string) bool {
	if !strings.Contains(name, "${") {
		return false
	}
	if re := namePattern(name); re != nil {
		ix.templated = append(ix.templated, templatedName{kind: kind, namespace: namespace, pattern: re, by: by})
	}
	return true
}

// templatedWhy says why an object of a kind and name may exist in a
// namespace because a name with variables there may become it, or "".
func (ix *index) templatedWhy(kind, namespace, name string) string {
	for _, t := range ix.templated {
		if t.kind == kind && t.namespace == namespace && t.pattern.MatchString(name) {
			return t.by + ", whose name holds variables unknown offline"
		}
	}
	return ""
}
