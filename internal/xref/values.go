package xref

import (
	"slices"
	"strconv"

	"github.com/fluxlint/fluxlint/internal/model"
)

// value returns the value at a path of a decoded object, or nil. A
// decimal path element indexes a list.
func value(m map[string]any, path ...string) any {
	return model.Value(m, path...)
}

// str returns the string at a path, or "".
func str(m map[string]any, path ...string) string {
	s, _ := value(m, path...).(string)
	return s
}

// boolAt returns the bool at a path, false when absent.
func boolAt(m map[string]any, path ...string) bool {
	b, _ := value(m, path...).(bool)
	return b
}

func mapAt(m map[string]any, path ...string) map[string]any {
	return asMap(value(m, path...))
}

func listAt(m map[string]any, path ...string) []any {
	l, _ := value(m, path...).([]any)
	return l
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// join returns a new path of base followed by more; indices become decimal
// strings.
func join(base []string, more ...any) []string {
	out := slices.Clip(slices.Clone(base))
	for _, m := range more {
		switch v := m.(type) {
		case string:
			out = append(out, v)
		case int:
			out = append(out, strconv.Itoa(v))
		}
	}
	return out
}

// stringMap returns a map of strings at a path.
func stringMap(m map[string]any, path ...string) map[string]string {
	out := map[string]string{}
	for k, v := range mapAt(m, path...) {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}

func itoa(i int) string { return strconv.Itoa(i) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
