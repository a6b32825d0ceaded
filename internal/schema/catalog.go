package schema

import "strings"

// A gvk is a group, version and kind; the core group is "".
type gvk struct {
	group, version, kind string
}

func (k gvk) apiVersion() string {
	if k.group == "" {
		return k.version
	}
	return k.group + "/" + k.version
}

// parseGVK reads the apiVersion and kind of obj. It reports false when
// either is missing or malformed.
func parseGVK(obj map[string]any) (gvk, bool) {
	apiVersion, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	if apiVersion == "" || kind == "" {
		return gvk{}, false
	}
	group, version, found := strings.Cut(apiVersion, "/")
	if !found {
		group, version = "", apiVersion
	}
	if version == "" || strings.Contains(version, "/") || (found && group == "") {
		return gvk{}, false
	}
	return gvk{group: group, version: version, kind: kind}, true
}

// A served kind is a group/version/kind with a schema.
type servedKind struct {
	definition string
	deprecated string
}

// A catalog indexes the kinds of one or more bundles.
type catalog struct {
	served      map[gvk]servedKind
	kindVersion map[gvk][]string // key without version: apiVersions serving the kind
	groups      map[string][]string
}

func newCatalog(bundles ...*bundle) *catalog {
	c := &catalog{
		served:      map[gvk]servedKind{},
		kindVersion: map[gvk][]string{},
		groups:      map[string][]string{},
	}
	for _, b := range bundles {
		for _, e := range b.Kinds {
			k := gvk{group: e.Group, version: e.Version, kind: e.Kind}
			if !e.Served || e.Definition == "" {
				continue
			}
			sk := servedKind{definition: e.Definition}
			if e.Deprecated {
				sk.deprecated = e.DeprecationWarning
				if sk.deprecated == "" {
					sk.deprecated = k.apiVersion() + " " + k.kind + " is deprecated"
				}
			}
			c.served[k] = sk
			gk := gvk{group: k.group, kind: k.kind}
			c.kindVersion[gk] = appendUnique(c.kindVersion[gk], k.apiVersion())
			c.groups[k.group] = appendUnique(c.groups[k.group], k.apiVersion())
		}
	}
	for _, list := range c.kindVersion {
		sortAPIVersions(list)
	}
	for _, list := range c.groups {
		sortAPIVersions(list)
	}
	return c
}

// lookup finds the schema of k. When there is none it returns the status
// to report and, for UnservedVersion, the apiVersions that are served.
func (c *catalog) lookup(k gvk) (servedKind, Status, []string) {
	if sk, ok := c.served[k]; ok {
		return sk, Valid, nil
	}
	if list, ok := c.kindVersion[gvk{group: k.group, kind: k.kind}]; ok {
		return servedKind{}, UnservedVersion, clone(list)
	}
	if list, ok := c.groups[k.group]; ok {
		return servedKind{}, UnservedVersion, clone(list)
	}
	return servedKind{}, NoSchema, nil
}

func appendUnique(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func clone(list []string) []string {
	return append([]string(nil), list...)
}
