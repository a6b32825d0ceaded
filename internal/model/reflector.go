package model

import (
	"regexp"
	"strings"
)

// reflectorAnnotation prefixes the annotations of emberstack's Reflector,
// which copies a Secret or ConfigMap into other namespaces.
const reflectorAnnotation = "reflector.v1.k8s.emberstack.com/"

// dnsLabel matches a namespace name written out, as opposed to a regular
// expression of Reflector's namespace lists.
var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// reflected returns the copies that Reflector makes of a Secret or
// ConfigMap whose annotations ask for automatic mirrors
// (reflection-allowed and reflection-auto-enabled "true"): one of the same
// name and keys in each namespace of reflection-auto-namespaces, a comma
// separated list of names or regular expressions that must also be in
// reflection-allowed-namespaces when that is set. An empty list, a regular
// expression or a namespace label selector (…-selector) choose namespaces
// that an offline check cannot list: the copy is then made in any
// namespace (AnyNamespace).
func reflected(o *Object, by string) []Made {
	ann := func(name string) string { return str(o.Content, "metadata", "annotations", reflectorAnnotation+name) }
	if ann("reflection-allowed") != "true" || ann("reflection-auto-enabled") != "true" || o.Ref.Namespace == "" {
		return nil
	}
	auto, allowed := splitList(ann("reflection-auto-namespaces")), splitList(ann("reflection-allowed-namespaces"))
	keys := DataKeys(o)
	by = "reflected by Reflector from " + o.Ref.String()
	made := func(ns string) Made {
		return Made{Kind: o.Ref.Kind, Namespace: ns, Name: o.Ref.Name, Keys: keys, By: by}
	}
	if len(auto) == 0 || ann("reflection-auto-namespaces-selector") != "" || ann("reflection-allowed-namespaces-selector") != "" {
		return []Made{made(AnyNamespace)}
	}
	var out []Made
	for _, ns := range auto {
		switch {
		case !dnsLabel.MatchString(ns):
			out = append(out, made(AnyNamespace))
		case ns != o.Ref.Namespace && permitted(ns, allowed):
			out = append(out, made(ns))
		}
	}
	return out
}

// splitList splits a comma separated list, leaving out empty entries.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// permitted reports whether reflection-allowed-namespaces lets a mirror
// into a namespace: it is empty, names it, or holds a regular expression.
func permitted(ns string, allowed []string) bool {
	if len(allowed) == 0 {
		return true
	}
	for _, a := range allowed {
		if a == ns || !dnsLabel.MatchString(a) {
			return true
		}
	}
	return false
}

// DataKeys returns the keys of a ConfigMap's or Secret's data, binaryData
// and stringData, or nil, for keys unknown, when it has none of these
// fields: Kubernetes fills a service account token Secret, an operator the
// Secret whose annotations a manifest sets (grafana-operator's token
// Secret that Reflector mirrors).
func DataKeys(o *Object) map[string]bool {
	var keys map[string]bool
	for _, field := range []string{"data", "binaryData", "stringData"} {
		m, ok := o.Content[field].(map[string]any)
		if !ok && o.Content[field] == nil {
			continue
		}
		if keys == nil {
			keys = map[string]bool{}
		}
		for k := range m {
			keys[k] = true
		}
	}
	return keys
}
