package flux

import (
	"strings"

	"github.com/fluxlint/fluxlint/internal/render"
)

// A Made object is one that a rendered object makes once it is applied:
// the Secret of an ExternalSecret, a SealedSecret or a cert-manager
// Certificate.
type Made struct {
	Kind, Namespace, Name string
	// Keys are the data keys it will have; nil when they are unknown.
	Keys map[string]bool
	// By names the object that makes it.
	By string
}

// Produces returns the objects that o makes once applied.
func Produces(o *render.Object) []Made {
	ref := o.Ref
	by := "made by " + ref.String()
	group := Group(ref.APIVersion)
	switch {
	case ref.Kind == "ExternalSecret" && strings.HasPrefix(group, "external-secrets.io"):
		name := str(o.Content, "spec", "target", "name")
		if name == "" {
			name = ref.Name
		}
		return []Made{{Kind: "Secret", Namespace: ref.Namespace, Name: name, By: by, Keys: externalSecretKeys(o)}}
	case ref.Kind == "SealedSecret" && group == "bitnami.com":
		name := str(o.Content, "spec", "template", "metadata", "name")
		if name == "" {
			name = ref.Name
		}
		keys := map[string]bool{}
		for _, field := range [][]string{{"spec", "encryptedData"}, {"spec", "template", "data"}} {
			m, _ := value(o.Content, field...).(map[string]any)
			for k := range m {
				keys[k] = true
			}
		}
		return []Made{{Kind: "Secret", Namespace: ref.Namespace, Name: name, By: by, Keys: keys}}
	case ref.Kind == "FluxInstance" && group == GroupOperator:
		// The pull secret of the sync is made with the instance, at
		// bootstrap, outside the repository (as flux bootstrap makes the
		// flux-system Secret).
		if name := str(o.Content, "spec", "sync", "pullSecret"); name != "" {
			return []Made{{Kind: "Secret", Namespace: ref.Namespace, Name: name, By: "made at bootstrap for " + ref.String() + " (spec.sync.pullSecret)"}}
		}
	case ref.Kind == "HelmRelease" && group == GroupHelm:
		if name := str(o.Content, "spec", "values", "instance", "sync", "pullSecret"); name != "" {
			ns := str(o.Content, "spec", "targetNamespace")
			if ns == "" {
				ns = ref.Namespace
			}
			return []Made{{Kind: "Secret", Namespace: ns, Name: name, By: "made at bootstrap for the flux-instance values of " + ref.String()}}
		}
	case ref.Kind == "Certificate" && group == "cert-manager.io":
		if name := str(o.Content, "spec", "secretName"); name != "" {
			return []Made{{Kind: "Secret", Namespace: ref.Namespace, Name: name, By: by,
				Keys: map[string]bool{"tls.crt": true, "tls.key": true, "ca.crt": true}}}
		}
	}
	return nil
}

// externalSecretKeys returns the keys an ExternalSecret writes, or nil when
// a template or dataFrom makes them unknown.
func externalSecretKeys(o *render.Object) map[string]bool {
	if value(o.Content, "spec", "dataFrom") != nil || value(o.Content, "spec", "target", "template") != nil {
		return nil
	}
	keys := map[string]bool{}
	items, _ := value(o.Content, "spec", "data").([]any)
	for _, d := range items {
		m, _ := d.(map[string]any)
		if k, _ := m["secretKey"].(string); k != "" {
			keys[k] = true
		}
	}
	return keys
}
