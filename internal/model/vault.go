package model

// groupVaultSecrets is the API group of HashiCorp's Vault Secrets Operator.
const groupVaultSecrets = "secrets.hashicorp.com"

// vaultDestination returns the Secret that the Vault Secrets Operator
// writes for a VaultStaticSecret, VaultDynamicSecret, VaultPKISecret or
// HCPVaultSecretsApp (its api/v1beta1 Destination): the one named
// spec.destination.name in the object's namespace, made only when
// spec.destination.create is true, since without it the operator writes
// into a Secret that must exist already. The keys come from Vault and are
// not known; Reflector mirrors the Secret when spec.destination.annotations,
// which the operator sets on it, ask for that.
func vaultDestination(o *Object, by string) []Made {
	if value(o.Content, "spec", "destination", "create") != true || o.Ref.Namespace == "" {
		return nil
	}
	name := str(o.Content, "spec", "destination", "name")
	if name == "" {
		return nil
	}
	secret := Made{Kind: "Secret", Namespace: o.Ref.Namespace, Name: name, By: by}
	annotations, _ := value(o.Content, "spec", "destination", "annotations").(map[string]any)
	return append([]Made{secret}, reflectedMade(secret, annotations)...)
}
