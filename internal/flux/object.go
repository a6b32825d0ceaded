package flux

import "github.com/fluxlint/fluxlint/internal/model"

// str returns the string at a path of a decoded object, or "".
func str(content map[string]any, path ...string) string {
	v := value(content, path...)
	s, _ := v.(string)
	return s
}

// value returns the value at a path of a decoded object, or nil.
func value(content map[string]any, path ...string) any {
	return model.Value(content, path...)
}

// refString names an object as Kind/namespace/name for chains.
func refString(o *model.Object) string { return o.Ref.String() }
