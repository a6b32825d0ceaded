package schema

import (
	"regexp"
	"strings"
)

// A SOPS-encrypted document carries a top-level sops stanza, which Flux's
// kustomize-controller removes when it decrypts the document; until then
// each encrypted value is a string ENC[AES256_GCM,data:...,type:...].

// withoutSOPS returns the object without the sops stanza of a
// SOPS-encrypted document and true; other objects are returned as they are,
// with false.
func withoutSOPS(content map[string]any) (map[string]any, bool) {
	if _, ok := content["sops"]; !ok {
		return content, false
	}
	out := make(map[string]any, len(content))
	for k, v := range content {
		if k != "sops" {
			out[k] = v
		}
	}
	return out, true
}

// IsEncrypted reports whether v is a SOPS ciphertext.
func IsEncrypted(v any) bool {
	s, ok := v.(string)
	return ok && strings.HasPrefix(s, "ENC[") && strings.HasSuffix(s, "]")
}

// ciphertext matches a SOPS ciphertext, or the start of one, anywhere in a
// string: a variable that postBuild substitutes from a SOPS-encrypted
// Secret puts one inside a value ("app.ENC[...]"), and an expansion that
// trims or cases it (${DOMAIN%%/*}, ${NAME^^}) a part of one.
var ciphertext = regexp.MustCompile(`(?i)ENC\[AES256_GCM,`)

// unknownVariable matches a postBuild variable left in a value: the
// renderer keeps "${NAME}" when the variable's value is made in the
// cluster (a Secret an ExternalSecret makes) and unknown offline.
var unknownVariable = regexp.MustCompile(`\$\{[_a-zA-Z][_a-zA-Z0-9]*\}`)

// encrypted reports whether the value at path, or a value below it, is or
// holds a SOPS ciphertext or a variable whose value is unknown offline: a
// violation there is about the placeholder, not about the value Flux will
// apply.
func encrypted(content map[string]any, path []string) bool {
	var cur any = content
	for _, p := range path {
		switch t := cur.(type) {
		case map[string]any:
			cur = t[p]
		case []any:
			i := 0
			for _, r := range p {
				i = i*10 + int(r-'0')
			}
			if i >= len(t) {
				return false
			}
			cur = t[i]
		default:
			return false
		}
	}
	return containsEncrypted(cur)
}

func containsEncrypted(v any) bool {
	switch t := v.(type) {
	case map[string]any:
		for _, e := range t {
			if containsEncrypted(e) {
				return true
			}
		}
	case []any:
		for _, e := range t {
			if containsEncrypted(e) {
				return true
			}
		}
	case string:
		return IsEncrypted(t) || ciphertext.MatchString(t) || unknownVariable.MatchString(t)
	}
	return false
}
