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
// makes for an annotated Gateway: a Certificate for each Secret that a
// listener it takes names (listenerSecrets), which writes the Secret.
func gatewayShimSecrets(o *Object, by string) []Made {
	if !hasCertShimAnnotation(o) || o.Ref.Namespace == "" {
		return nil
	}
	listeners, _ := value(o.Content, "spec", "listeners").([]any)
	var out []Made
	for _, l := range listeners {
		listener, _ := l.(map[string]any)
		for _, name := range listenerSecrets(listener, o.Ref.Namespace) {
			out = append(out, Made{Kind: "Secret", Namespace: o.Ref.Namespace, Name: name, By: by, Keys: certShimSecretKeys})
		}
	}
	return out
}

// listenerSecrets returns the Secrets that the gateway-shim makes for a
// listener of a Gateway of a namespace: none unless its protocol is HTTPS
// or TLS, it has a hostname and it is not in Passthrough mode, and none
// unless all its certificateRefs are Secrets of that namespace (else the
// shim skips the listener).
func listenerSecrets(listener map[string]any, namespace string) []string {
	protocol, _ := listener["protocol"].(string)
	hostname, _ := listener["hostname"].(string)
	if protocol != "HTTPS" && protocol != "TLS" || hostname == "" || str(listener, "tls", "mode") == "Passthrough" {
		return nil
	}
	refs, _ := value(listener, "tls", "certificateRefs").([]any)
	var names []string
	for _, r := range refs {
		ref, _ := r.(map[string]any)
		name, _ := ref["name"].(string)
		group, _ := ref["group"].(string)
		kind, _ := ref["kind"].(string)
		ns, _ := ref["namespace"].(string)
		if group != "" && group != "core" || kind != "" && kind != "Secret" || ns != "" && ns != namespace {
			return nil
		}
		if name != "" {
			names = append(names, name)
		}
	}
	return names
}
