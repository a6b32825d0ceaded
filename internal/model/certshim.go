package model

// certShimSecretKeys are the keys of the Secret cert-manager writes for a
// Certificate.
var certShimSecretKeys = map[string]bool{"tls.crt": true, "tls.key": true, "ca.crt": true}

// hasCertShimAnnotation says whether an Ingress or Gateway asks cert-manager's
// ingress-shim or gateway-shim for certificates (the annotation
// cert-manager.io/issuer or cert-manager.io/cluster-issuer).
func hasCertShimAnnotation(o *Object) bool {
	a, _ := value(o.Content, "metadata", "annotations").(map[string]any)
	issuer, _ := a["cert-manager.io/issuer"].(string)
	clusterIssuer, _ := a["cert-manager.io/cluster-issuer"].(string)
	return issuer != "" || clusterIssuer != ""
}

// ingressShimSecrets returns the Secrets that cert-manager's ingress-shim
// makes for an annotated Ingress (certificate-shim sync.go): for each TLS
// block with hosts and a secretName, a Certificate of that name in the
// Ingress's namespace, which writes the Secret. The Secret exists for
// every object of the namespace, not only for the Ingress that asked for
// it. A secretName that two blocks share makes the shim skip the Ingress.
func ingressShimSecrets(o *Object, by string) []Made {
	if !hasCertShimAnnotation(o) || o.Ref.Namespace == "" {
		return nil
	}
	blocks, _ := value(o.Content, "spec", "tls").([]any)
	seen := map[string]bool{}
	var out []Made
	for _, b := range blocks {
		block, _ := b.(map[string]any)
		name, _ := block["secretName"].(string)
		if seen[name] {
			return nil
		}
		seen[name] = true
		if hosts, _ := block["hosts"].([]any); name == "" || len(hosts) == 0 {
			continue
		}
		out = append(out, Made{Kind: "Secret", Namespace: o.Ref.Namespace, Name: name, By: by, Keys: certShimSecretKeys})
	}
	return out
}

// gatewayShimSecrets returns the Secrets that cert-manager's gateway-shim
// makes for an annotated Gateway: for each listener of protocol HTTPS or
// TLS, with a hostname, not in Passthrough mode, whose certificateRefs are
// all Secrets of the Gateway's namespace (else the shim skips the
// listener), a Certificate for each ref, which writes the Secret.
func gatewayShimSecrets(o *Object, by string) []Made {
	if !hasCertShimAnnotation(o) || o.Ref.Namespace == "" {
		return nil
	}
	listeners, _ := value(o.Content, "spec", "listeners").([]any)
	var out []Made
	for _, l := range listeners {
		listener, _ := l.(map[string]any)
		protocol, _ := listener["protocol"].(string)
		hostname, _ := listener["hostname"].(string)
		if protocol != "HTTPS" && protocol != "TLS" || hostname == "" || str(listener, "tls", "mode") == "Passthrough" {
			continue
		}
		refs, _ := value(listener, "tls", "certificateRefs").([]any)
		var names []string
		for _, r := range refs {
			ref, _ := r.(map[string]any)
			name, _ := ref["name"].(string)
			group, _ := ref["group"].(string)
			kind, _ := ref["kind"].(string)
			ns, _ := ref["namespace"].(string)
			if group != "" && group != "core" || kind != "" && kind != "Secret" || ns != "" && ns != o.Ref.Namespace {
				names = nil
				break
			}
			names = append(names, name)
		}
		for _, name := range names {
			if name != "" {
				out = append(out, Made{Kind: "Secret", Namespace: o.Ref.Namespace, Name: name, By: by, Keys: certShimSecretKeys})
			}
		}
	}
	return out
}
