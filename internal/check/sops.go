package check

import "github.com/fluxlint/fluxlint/internal/schema"

// MaskSOPS returns a copy of a SOPS-encrypted document with every
// ciphertext and the sops stanza's values masked; other documents are
// returned as they are.
func MaskSOPS(content map[string]any) map[string]any {
	if _, ok := content["sops"]; !ok {
		return content
	}
	out, _ := maskEncrypted(content).(map[string]any)
	out["sops"] = Masked
	return out
}

func maskEncrypted(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = maskEncrypted(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = maskEncrypted(e)
		}
		return out
	}
	if schema.IsEncrypted(v) {
		return Masked
	}
	return v
}
