package operator

import (
	"encoding/json"
	"fmt"
	"strings"

	utiljson "k8s.io/apimachinery/pkg/util/json"
)

// field returns the value at the given keys of nested maps, or nil when a
// key is missing or a value on the way is not a map.
func field(obj any, keys ...string) any {
	cur := obj
	for _, k := range keys {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

// str returns the string at the given keys, or "" when it is missing or not
// a string.
func str(obj any, keys ...string) string {
	s, _ := field(obj, keys...).(string)
	return s
}

// mapAt returns the map at the given keys, or nil.
func mapAt(obj any, keys ...string) map[string]any {
	m, _ := field(obj, keys...).(map[string]any)
	return m
}

// listAt returns the list at the given keys, or nil.
func listAt(obj any, keys ...string) []any {
	l, _ := field(obj, keys...).([]any)
	return l
}

// normalizeJSON returns a deep copy of v as the operator holds values that
// went through the API server: encoded as JSON and decoded with the
// apimachinery decoder, so whole numbers are int64 and the others float64.
// Inputs reach templates in this form, which decides how << inputs.n >>
// prints (2, not 2.0 or 2e+00).
func normalizeJSON(v any) (any, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := utiljson.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// normalizeMap is normalizeJSON for a map.
func normalizeMap(m map[string]any) (map[string]any, error) {
	v, err := normalizeJSON(m)
	if err != nil {
		return nil, err
	}
	out, _ := v.(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	return out, nil
}

// stringMap converts a map of labels or annotations to map[string]string,
// printing non-string values as the API server would reject them anyway.
func stringMap(m map[string]any) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		} else {
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}

// groupOf returns the API group of an apiVersion ("" for the core group).
func groupOf(apiVersion string) string {
	if i := strings.Index(apiVersion, "/"); i >= 0 {
		return apiVersion[:i]
	}
	return ""
}

// objectKey returns the identity under which the operator deduplicates
// generated objects: group, kind, namespace and name (not the version).
func objectKey(obj map[string]any) string {
	return strings.Join([]string{
		groupOf(str(obj, "apiVersion")),
		str(obj, "kind"),
		str(obj, "metadata", "namespace"),
		str(obj, "metadata", "name"),
	}, "/")
}

// setMetadataStrings merges values into metadata.<key> of obj, creating the
// map when values is not empty, as fluxcd/pkg/ssa SetCommonMetadata does.
func setMetadataStrings(obj map[string]any, key string, values map[string]string) {
	if len(values) == 0 {
		return
	}
	meta, ok := obj["metadata"].(map[string]any)
	if !ok {
		meta = map[string]any{}
		obj["metadata"] = meta
	}
	cur, ok := meta[key].(map[string]any)
	if !ok {
		cur = map[string]any{}
	}
	for k, v := range values {
		cur[k] = v
	}
	meta[key] = cur
}
