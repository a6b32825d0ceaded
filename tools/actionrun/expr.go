package actionrun

import (
	"fmt"
	"regexp"
	"strings"
)

// A scope resolves the names of an expression for one step.
type scope struct {
	values map[string]string
	// failed is whether a step before this one failed.
	failed bool
}

// lookup returns the value of a dotted name. A step output or outcome that
// was never set is empty, as on GitHub; any other unknown name is an error.
func (s scope) lookup(name string) (string, error) {
	if v, ok := s.values[name]; ok {
		return v, nil
	}
	if strings.HasPrefix(name, "steps.") {
		return "", nil
	}
	return "", fmt.Errorf("unknown name %q", name)
}

var template = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// expand replaces every ${{ name }} in s with the name's value.
func (s scope) expand(text string) (string, error) {
	var err error
	out := template.ReplaceAllStringFunc(text, func(m string) string {
		name := template.FindStringSubmatch(m)[1]
		v, e := s.lookup(name)
		if e != nil && err == nil {
			err = fmt.Errorf("%s: %w", m, e)
		}
		return v
	})
	return out, err
}

var comparison = regexp.MustCompile(`^([a-zA-Z0-9_.-]+)\s*(==|!=)\s*'([^']*)'$`)

// condition evaluates an if: expression, with or without ${{ }}: terms
// joined by &&. Without any status function, success() is implied.
func (s scope) condition(expr string) (bool, error) {
	expr = strings.TrimSpace(expr)
	if m := template.FindStringSubmatch(expr); m != nil && m[0] == expr {
		expr = m[1]
	}
	if expr == "" {
		return !s.failed, nil
	}
	result, status := true, false
	for _, term := range strings.Split(expr, "&&") {
		v, isStatus, err := s.term(strings.TrimSpace(term))
		if err != nil {
			return false, fmt.Errorf("if: %s: %w", expr, err)
		}
		result = result && v
		status = status || isStatus
	}
	if !status {
		result = result && !s.failed
	}
	return result, nil
}

// term evaluates one term of a condition and says whether it is a status
// function.
func (s scope) term(t string) (value, status bool, err error) {
	switch t {
	case "success()":
		return !s.failed, true, nil
	case "failure()":
		return s.failed, true, nil
	case "always()", "!cancelled()":
		return true, true, nil
	case "cancelled()":
		return false, true, nil
	}
	m := comparison.FindStringSubmatch(t)
	if m == nil {
		return false, false, fmt.Errorf("unsupported term %q", t)
	}
	v, err := s.lookup(m[1])
	if err != nil {
		return false, false, err
	}
	return (v == m[3]) == (m[2] == "=="), false, nil
}
