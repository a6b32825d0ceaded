package main

// Definition names with a fixed meaning in the conversion.
const (
	quantityDef    = "io.k8s.apimachinery.pkg.api.resource.Quantity"
	intOrStringDef = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
	objectMetaDef  = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
)

// keptKeywords are the schema keywords that survive conversion. Everything
// else (description, format, default, example, x-kubernetes-* extensions)
// is dropped: it does not change what the converted schema accepts.
var keptKeywords = map[string]bool{
	"type": true, "enum": true, "required": true, "$ref": true,
	"minimum": true, "maximum": true, "multipleOf": true,
	"minLength": true, "maxLength": true, "pattern": true,
	"minItems": true, "maxItems": true, "uniqueItems": true,
	"minProperties": true, "maxProperties": true,
}

// convertSchema returns a strict copy of an OpenAPI schema:
//
//   - an object schema with properties and neither additionalProperties nor
//     x-kubernetes-preserve-unknown-fields nor x-kubernetes-embedded-resource
//     gets additionalProperties: false, except inside allOf/anyOf/oneOf/not,
//     whose branches only add constraints to the enclosing schema;
//   - an int-or-string schema (format int-or-string or
//     x-kubernetes-int-or-string) accepts an integer or a string;
//   - boolean exclusiveMinimum/exclusiveMaximum become the numeric form;
//   - only the keywords in keptKeywords and the structural ones are kept.
func convertSchema(s map[string]any, inLogic bool) map[string]any {
	out := make(map[string]any, len(s))
	for k, v := range s {
		if conv, keep := convertKeyword(k, v, inLogic); keep {
			out[k] = conv
		}
	}
	convertExclusive(s, out, "exclusiveMinimum", "minimum")
	convertExclusive(s, out, "exclusiveMaximum", "maximum")
	if isTrue(s, "x-kubernetes-int-or-string") || s["format"] == "int-or-string" {
		out["type"] = []any{"integer", "string"}
		delete(out, "anyOf")
		delete(out, "oneOf")
	}
	_, hasProps := out["properties"]
	_, hasAdditional := out["additionalProperties"]
	open := isTrue(s, "x-kubernetes-preserve-unknown-fields") || isTrue(s, "x-kubernetes-embedded-resource")
	if hasProps && !hasAdditional && !open && !inLogic {
		out["additionalProperties"] = false
	}
	return out
}

// convertKeyword converts the value of one keyword of a schema and says
// whether to keep it.
func convertKeyword(k string, v any, inLogic bool) (any, bool) {
	switch k {
	case "properties":
		props, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		conv := make(map[string]any, len(props))
		for name, p := range props {
			if ps, ok := p.(map[string]any); ok {
				conv[name] = convertSchema(ps, inLogic)
			}
		}
		return conv, true
	case "additionalProperties", "items", "not":
		switch vv := v.(type) {
		case bool:
			return vv, true
		case map[string]any:
			return convertSchema(vv, inLogic || k == "not"), true
		}
		return nil, false
	case "allOf", "anyOf", "oneOf":
		list, ok := v.([]any)
		if !ok {
			return nil, false
		}
		conv := make([]any, 0, len(list))
		for _, item := range list {
			if is, ok := item.(map[string]any); ok {
				conv = append(conv, convertSchema(is, true))
			}
		}
		return conv, true
	}
	return v, keptKeywords[k]
}

// convertExclusive turns the OpenAPI v2 form {minimum: 1, exclusiveMinimum:
// true} into the JSON schema 2020-12 form {exclusiveMinimum: 1}.
func convertExclusive(in, out map[string]any, exclusive, bound string) {
	switch v := in[exclusive].(type) {
	case bool:
		if v {
			if b, ok := in[bound]; ok {
				out[exclusive] = b
				delete(out, bound)
			}
		}
	case float64:
		out[exclusive] = v
	}
}

func isTrue(s map[string]any, key string) bool {
	b, ok := s[key].(bool)
	return ok && b
}

// withoutRequired returns required less the names in drop, or nil when
// nothing is left.
func withoutRequired(required any, drop ...string) []any {
	list, _ := required.([]any)
	var kept []any
	for _, r := range list {
		name, _ := r.(string)
		skip := false
		for _, d := range drop {
			if name == d {
				skip = true
			}
		}
		if !skip {
			kept = append(kept, r)
		}
	}
	return kept
}

// fixRoot adjusts the schema of a top-level object: status and metadata are
// never required (rendered objects have no status), and apiVersion, kind and
// metadata are always allowed, metadata being an ObjectMeta unless the schema
// says more about it.
func fixRoot(root map[string]any) {
	if req := withoutRequired(root["required"], "status", "metadata"); len(req) > 0 {
		root["required"] = req
	} else {
		delete(root, "required")
	}
	props, ok := root["properties"].(map[string]any)
	if !ok {
		return
	}
	for _, name := range []string{"apiVersion", "kind"} {
		if _, ok := props[name]; !ok {
			props[name] = map[string]any{"type": "string"}
		}
	}
	meta, _ := props["metadata"].(map[string]any)
	if _, detailed := meta["properties"]; !detailed {
		props["metadata"] = map[string]any{"$ref": "#/definitions/" + objectMetaDef}
	}
}

// refs calls fn with the definition name of every "#/definitions/" $ref in
// the schema tree v.
func refs(v any, fn func(string)) {
	switch vv := v.(type) {
	case map[string]any:
		for k, c := range vv {
			if s, ok := c.(string); ok && k == "$ref" {
				const prefix = "#/definitions/"
				if len(s) > len(prefix) && s[:len(prefix)] == prefix {
					fn(s[len(prefix):])
				}
				continue
			}
			refs(c, fn)
		}
	case []any:
		for _, c := range vv {
			refs(c, fn)
		}
	}
}
