package schema

import (
	"fmt"
	"net/url"
	"strings"
)

// A definitionLoader serves each definition of a Validator's bundles to
// the JSON Schema compiler as a document of its own, at base followed by
// the definition's name, its references to other definitions
// ("#/definitions/NAME") made the addresses of their documents.
//
// With all the definitions in one document, the compiler walks every one
// of them (the subschemas, their identifiers and anchors) before compiling
// the first: a run that compiles the schema of one changed object paid for
// the whole bundle. A document a definition now costs only the definitions
// a compiled kind reaches; those shared by several kinds (ObjectMeta) are
// still compiled once, as the compiler keeps what it compiled by address.
//
// The documents stay under trustedSchemaURL, so the compiler does not
// validate them against the metaschema (TestEmbeddedSchemasMatchTheMetaschema
// does). The bundles' definitions are shared and never modified: a loaded
// definition is a copy, decoded then if the bundle keeps it encoded.
type definitionLoader struct {
	base string
	defs map[string]any
}

// url returns the address of the document of the named definition.
func (l definitionLoader) url(name string) string {
	return l.base + url.PathEscape(name)
}

// Load returns the document of the definition at address u.
func (l definitionLoader) Load(u string) (any, error) {
	escaped, ok := strings.CutPrefix(u, l.base)
	if !ok {
		return nil, fmt.Errorf("%s is not an embedded schema", u)
	}
	name, err := url.PathUnescape(escaped)
	if err != nil {
		return nil, fmt.Errorf("%s is not an embedded schema: %w", u, err)
	}
	def, ok := l.defs[name]
	if !ok {
		return nil, fmt.Errorf("no embedded definition %q", name)
	}
	if def, err = decodeDefinition(def); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return l.rewrite(def), nil
}

// rewrite returns a copy of v whose references to definitions are the
// addresses of their documents.
func (l definitionLoader) rewrite(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if s, ok := x.(string); ok && k == "$ref" {
				out[k] = l.ref(s)
				continue
			}
			out[k] = l.rewrite(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = l.rewrite(x)
		}
		return out
	}
	return v
}

// ref returns the address a reference names: for "#/definitions/NAME",
// optionally followed by a pointer into the definition, the definition's
// document (and the pointer as its fragment). Any other reference is kept.
func (l definitionLoader) ref(ref string) string {
	rest, ok := strings.CutPrefix(ref, "#/definitions/")
	if !ok {
		return ref
	}
	rest, err := url.PathUnescape(rest)
	if err != nil {
		return ref
	}
	token, tail, deeper := strings.Cut(rest, "/")
	name := strings.NewReplacer("~1", "/", "~0", "~").Replace(token)
	if !deeper {
		return l.url(name)
	}
	return l.url(name) + "#/" + tail
}
