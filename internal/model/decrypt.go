package model

// PrivateSecrets reports whether a Flux Kustomization applies the
// encrypted Secrets of a private repository: it decrypts what it applies
// (spec.decryption names a provider, sops) and its source, among all,
// needs credentials (spec.secretRef, or a cloud provider's identity). When
// that source cannot be read offline, the Kustomization may make Secrets
// that no render shows, in any namespace. A public source (an upstream
// project's CRDs, decrypted only because a parent patches decryption onto
// every Kustomization) holds none of the repository's Secrets.
func PrivateSecrets(ks *Object, all []*Object) bool {
	if ks == nil || !IsKind(ks, GroupKustomize, "Kustomization") {
		return false
	}
	spec, _ := ks.Content["spec"].(map[string]any)
	decryption, _ := spec["decryption"].(map[string]any)
	if provider, _ := decryption["provider"].(string); provider == "" {
		return false
	}
	kind, ns, name := SourceRef(ks)
	for _, o := range all {
		if o.Ref.Kind != kind || o.Ref.Name != name || o.Ref.Namespace != ns || Group(o.Ref.APIVersion) != GroupSource {
			continue
		}
		srcSpec, _ := o.Content["spec"].(map[string]any)
		secretRef, _ := srcSpec["secretRef"].(map[string]any)
		if n, _ := secretRef["name"].(string); n != "" {
			return true
		}
		provider, _ := srcSpec["provider"].(string)
		return provider != "" && provider != "generic"
	}
	return false
}
