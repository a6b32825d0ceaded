package flux

import (
	"strings"

	"github.com/fluxlint/fluxlint/internal/render"
)

// Flux API groups.
const (
	GroupKustomize = "kustomize.toolkit.fluxcd.io"
	GroupSource    = "source.toolkit.fluxcd.io"
	GroupSourceExt = "source.extensions.fluxcd.io"
	GroupHelm      = "helm.toolkit.fluxcd.io"
	// GroupNotification and GroupImage are the notification and image
	// automation controllers' groups.
	GroupNotification = "notification.toolkit.fluxcd.io"
	GroupImage        = "image.toolkit.fluxcd.io"
	// GroupOperator is Flux Operator's group (FluxInstance, ResourceSet).
	GroupOperator = "fluxcd.controlplane.io"
)

// Group returns the API group of an apiVersion ("" for the core group).
func Group(apiVersion string) string {
	group, _, found := strings.Cut(apiVersion, "/")
	if !found {
		return ""
	}
	return group
}

// IsKind reports whether an object is of the given Flux group and kind.
func IsKind(o *render.Object, group, kind string) bool {
	return o.Ref.Kind == kind && Group(o.Ref.APIVersion) == group
}

// str returns the string at a path of a decoded object, or "".
func str(content map[string]any, path ...string) string {
	v := value(content, path...)
	s, _ := v.(string)
	return s
}

// value returns the value at a path of a decoded object, or nil.
func value(content map[string]any, path ...string) any {
	var cur any = content
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

// refString names an object as Kind/namespace/name for chains.
func refString(o *render.Object) string { return o.Ref.String() }
