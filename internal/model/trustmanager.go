package model

// groupTrust is the API group of cert-manager's trust-manager.
const groupTrust = "trust.cert-manager.io"

// trustBundle returns what trust-manager makes for a Bundle (or a
// ClusterBundle): a ConfigMap, and a Secret when the target asks for one,
// named after the Bundle, in every namespace its target.namespaceSelector
// chooses (all of them without one), with the key target.configMap.key
// (target.secret.key) holding the certificates.
func trustBundle(o *Object, by string) []Made {
	var out []Made
	for _, kind := range []string{"ConfigMap", "Secret"} {
		field := "configMap"
		if kind == "Secret" {
			field = "secret"
		}
		key := str(o.Content, "spec", "target", field, "key")
		if key == "" {
			continue
		}
		out = append(out, Made{Kind: kind, Namespace: AnyNamespace, Name: o.Ref.Name, By: by, Keys: map[string]bool{key: true}})
	}
	return out
}
