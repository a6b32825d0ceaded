package model

// Decrypts reports whether a Flux Kustomization decrypts what it applies
// (spec.decryption names a provider, sops): the Secrets it applies are
// committed encrypted, so when its source cannot be read offline it may
// make Secrets that no render shows, in any namespace.
func Decrypts(ks *Object) bool {
	if ks == nil || !IsKind(ks, GroupKustomize, "Kustomization") {
		return false
	}
	decryption, _ := ks.Content["spec"].(map[string]any)["decryption"].(map[string]any)
	provider, _ := decryption["provider"].(string)
	return provider != ""
}
