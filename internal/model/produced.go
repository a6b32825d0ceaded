package model

import (
	"path"
	"strings"
)

// A Made object is one that a rendered object makes once it is applied:
// the Secret of an ExternalSecret, a SealedSecret or a cert-manager
// Certificate.
type Made struct {
	// Namespace is AnyNamespace for an object made in namespaces chosen
	// by labels (a ClusterExternalSecret's namespaceSelectors).
	Kind, Namespace, Name string
	// Keys are the data keys it will have; nil when they are unknown.
	Keys map[string]bool
	// By names the object that makes it.
	By string
	// IfAbsent marks an object made only when nothing else makes one of
	// its name (CloudNativePG's application Secret, which a person may
	// write instead).
	IfAbsent bool
}

// Produces returns the objects that o makes once applied.
func Produces(o *Object) []Made {
	if f := producers[Group(o.Ref.APIVersion)+" "+o.Ref.Kind]; f != nil {
		return f(o, "made by "+o.Ref.String())
	}
	if Group(o.Ref.APIVersion) == groupVictoriaMetrics && (vmWorkloads[o.Ref.Kind] != nil || o.Ref.Kind == "VMAgent") {
		return victoriaMetrics(o, "made by "+o.Ref.String())
	}
	if strings.HasPrefix(Group(o.Ref.APIVersion), "external-secrets.io") {
		switch o.Ref.Kind {
		case "ExternalSecret":
			return externalSecret(o, "made by "+o.Ref.String())
		case "ClusterExternalSecret":
			return clusterExternalSecret(o)
		}
	}
	return operatorSecret(o)
}

// operatorSecret returns the Secret that the operator of a custom resource
// writes when the resource names it in spec.secretName (a certificate, a
// generated key) or in spec.secret.name without a key (PocketID's OIDC
// client credentials): a name with a key picks a value of a Secret read,
// not one written.
func operatorSecret(o *Object) []Made {
	group := Group(o.Ref.APIVersion)
	if !strings.Contains(group, ".") || strings.HasSuffix(group, ".k8s.io") || IsFluxGroup(group) || group == GroupOperator || o.Ref.Namespace == "" {
		return nil
	}
	name := str(o.Content, "spec", "secretName")
	if secret, ok := value(o.Content, "spec", "secret").(map[string]any); ok && name == "" && secret["key"] == nil {
		name, _ = secret["name"].(string)
	}
	if name == "" {
		return nil
	}
	// A name with variables that substitution left (their values made in
	// the cluster) stands for the names it may become.
	return []Made{{Kind: "Secret", Namespace: o.Ref.Namespace, Name: name, By: "made by " + o.Ref.String()}}
}

// AnyNamespace is the namespace of an object made in namespaces that
// labels choose, which an offline check cannot list.
const AnyNamespace = "*"

// clusterExternalSecret returns the Secrets of the ExternalSecrets a
// ClusterExternalSecret makes (external-secrets'
// clusterexternalsecret_types.go): one named spec.externalSecretName (or
// the object's name) with spec.externalSecretSpec in each namespace of
// spec.namespaces, and in every namespace when spec.namespaceSelectors or
// spec.namespaceSelector choose some by labels.
func clusterExternalSecret(o *Object) []Made {
	name := str(o.Content, "spec", "externalSecretName")
	if name == "" {
		name = o.Ref.Name
	}
	spec, _ := value(o.Content, "spec", "externalSecretSpec").(map[string]any)
	by := "made by " + o.Ref.String()
	var namespaces []string
	if value(o.Content, "spec", "namespaceSelectors") != nil || value(o.Content, "spec", "namespaceSelector") != nil {
		namespaces = append(namespaces, AnyNamespace)
	}
	list, _ := value(o.Content, "spec", "namespaces").([]any)
	for _, n := range list {
		if ns, ok := n.(string); ok && ns != "" {
			namespaces = append(namespaces, ns)
		}
	}
	var out []Made
	for _, ns := range namespaces {
		es := &Object{Ref: o.Ref, Content: map[string]any{"spec": spec}}
		es.Ref.Kind, es.Ref.Namespace, es.Ref.Name = "ExternalSecret", ns, name
		out = append(out, externalSecret(es, by)...)
	}
	return out
}

// producers finds what an object of a group and kind makes.
var producers = map[string]func(o *Object, by string) []Made{
	"bitnami.com SealedSecret":                sealedSecret,
	"cert-manager.io Certificate":             certificate,
	"networking.k8s.io Ingress":               ingressShimSecrets,
	"gateway.networking.k8s.io Gateway":       gatewayShimSecrets,
	GroupOperator + " FluxInstance":           fluxInstancePullSecret,
	GroupHelm + " HelmRelease":                fluxInstanceChart,
	groupGrafana + " Grafana":                 grafanaObjects,
	groupGrafana + " GrafanaServiceAccount":   grafanaServiceAccountTokens,
	groupCNPG + " Cluster":                    cnpgClusterObjects,
	groupTrust + " Bundle":                    trustBundle,
	groupTofu + " Terraform":                  terraformOutputs,
	groupClusterAPI + " Cluster":              clusterAPIKubeconfig,
	groupTekton + " TektonConfig":             tektonDashboard,
	groupTekton + " TektonDashboard":          tektonDashboard,
	groupTrust + " ClusterBundle":             trustBundle,
	groupMonitoring + " Prometheus":           prometheusOperated,
	groupMonitoring + " Alertmanager":         prometheusOperated,
	groupMonitoring + " ThanosRuler":          prometheusOperated,
	groupVaultSecrets + " VaultStaticSecret":  vaultDestination,
	groupVaultSecrets + " VaultDynamicSecret": vaultDestination,
	groupVaultSecrets + " VaultPKISecret":     vaultDestination,
	groupVaultSecrets + " HCPVaultSecretsApp": vaultDestination,
	" Secret":    reflected,
	" ConfigMap": reflected,
}

// externalSecret returns the Secret an ExternalSecret writes, and the
// copies Reflector makes of it when the Secret carries Reflector's
// annotations: external-secrets writes on the Secret the annotations of
// spec.target.template.metadata, or, without a template, the
// ExternalSecret's own (mergeMetadata in its controller).
func externalSecret(o *Object, by string) []Made {
	name := str(o.Content, "spec", "target", "name")
	if name == "" {
		name = o.Ref.Name
	}
	secret := Made{Kind: "Secret", Namespace: o.Ref.Namespace, Name: name, By: by, Keys: externalSecretKeys(o)}
	from := []string{"metadata", "annotations"}
	if _, templated := value(o.Content, "spec", "target", "template").(map[string]any); templated {
		from = []string{"spec", "target", "template", "metadata", "annotations"}
	}
	annotations, _ := value(o.Content, from...).(map[string]any)
	return append([]Made{secret}, reflectedMade(secret, annotations)...)
}

func sealedSecret(o *Object, by string) []Made {
	name := str(o.Content, "spec", "template", "metadata", "name")
	if name == "" {
		name = o.Ref.Name
	}
	keys := map[string]bool{}
	for _, field := range [][]string{{"spec", "encryptedData"}, {"spec", "template", "data"}} {
		m, _ := value(o.Content, field...).(map[string]any)
		for k := range m {
			keys[k] = true
		}
	}
	return []Made{{Kind: "Secret", Namespace: o.Ref.Namespace, Name: name, By: by, Keys: keys}}
}

// certificate returns the Secret of a cert-manager Certificate, and the
// copies Reflector makes of it when spec.secretTemplate gives it
// Reflector's annotations.
func certificate(o *Object, by string) []Made {
	name := str(o.Content, "spec", "secretName")
	if name == "" {
		return nil
	}
	secret := Made{Kind: "Secret", Namespace: o.Ref.Namespace, Name: name, By: by,
		Keys: map[string]bool{"tls.crt": true, "tls.key": true, "ca.crt": true}}
	annotations, _ := value(o.Content, "spec", "secretTemplate", "annotations").(map[string]any)
	return append([]Made{secret}, reflectedMade(secret, annotations)...)
}

// reflectedMade returns the copies Reflector makes of a Secret or ConfigMap
// that an operator writes with the given annotations (a Certificate's
// secretTemplate).
func reflectedMade(m Made, annotations map[string]any) []Made {
	if len(annotations) == 0 || m.Namespace == AnyNamespace {
		return nil
	}
	data := map[string]any{}
	for k := range m.Keys {
		data[k] = ""
	}
	written := &Object{Content: map[string]any{"metadata": map[string]any{"annotations": annotations}, "data": data}}
	written.Ref.APIVersion, written.Ref.Kind, written.Ref.Namespace, written.Ref.Name = "v1", m.Kind, m.Namespace, m.Name
	copies := reflected(written, "")
	for i := range copies {
		copies[i].Keys = m.Keys // nil stays unknown, not empty
	}
	return copies
}

// fluxInstancePullSecret: the pull secret of a FluxInstance's sync is made
// with the instance, at bootstrap, outside the repository (as flux
// bootstrap makes the flux-system Secret).
func fluxInstancePullSecret(o *Object, _ string) []Made {
	name := str(o.Content, "spec", "sync", "pullSecret")
	if name == "" {
		return nil
	}
	return []Made{{Kind: "Secret", Namespace: o.Ref.Namespace, Name: name, By: "made at bootstrap for " + o.Ref.String() + " (spec.sync.pullSecret)"}}
}

// fluxInstanceChart returns what a HelmRelease of the flux-instance chart
// (controlplaneio-fluxcd/charts, charts/flux-instance) makes: the
// FluxInstance of templates/instance.yaml, named after fullnameOverride
// ("flux" in the chart's values.yaml) in the release namespace, and the
// pull secret of its sync, made at bootstrap outside the repository. The
// FluxInstance counts only when nothing else makes it: a release whose
// chart is rendered makes it itself; one whose chart cannot be had offline
// still makes it.
func fluxInstanceChart(o *Object, by string) []Made {
	if !fluxInstanceRelease(o) {
		return nil
	}
	ns := str(o.Content, "spec", "targetNamespace")
	if ns == "" {
		ns = o.Ref.Namespace
	}
	name := str(o.Content, "spec", "values", "fullnameOverride")
	if name == "" {
		name = "flux"
	}
	out := []Made{{Kind: "FluxInstance", Namespace: ns, Name: name, By: by + " (the flux-instance chart)", IfAbsent: true}}
	if secret := str(o.Content, "spec", "values", "instance", "sync", "pullSecret"); secret != "" {
		out = append(out, Made{Kind: "Secret", Namespace: ns, Name: secret, By: "made at bootstrap for the flux-instance values of " + o.Ref.String()})
	}
	return out
}

// fluxInstanceRelease reports whether a HelmRelease installs the
// flux-instance chart: its chart is named so, or its values set the
// instance's distribution or sync, which only that chart reads.
func fluxInstanceRelease(o *Object) bool {
	if chart := str(o.Content, "spec", "chart", "spec", "chart"); path.Base(chart) == "flux-instance" {
		return true
	}
	return value(o.Content, "spec", "values", "instance", "distribution") != nil ||
		value(o.Content, "spec", "values", "instance", "sync") != nil
}

// externalSecretKeys returns the keys an ExternalSecret writes, or nil when
// they are not known, as External Secrets Operator builds the Secret: the
// secretKeys of spec.data, and what spec.dataFrom gives (not known); with a
// target.template that has data or templateFrom, the template's data keys
// instead (templateFrom's are not known), plus the provider's under the
// Merge policy.
func externalSecretKeys(o *Object) map[string]bool {
	provider := providerKeys(o)
	tmpl, _ := value(o.Content, "spec", "target", "template").(map[string]any)
	data, _ := tmpl["data"].(map[string]any)
	if tmpl == nil || len(data) == 0 && tmpl["templateFrom"] == nil {
		return provider
	}
	if tmpl["templateFrom"] != nil {
		return nil
	}
	keys := map[string]bool{}
	if tmpl["mergePolicy"] == "Merge" {
		if provider == nil {
			return nil
		}
		for k := range provider {
			keys[k] = true
		}
	}
	for k := range data {
		keys[k] = true
	}
	return keys
}

// providerKeys returns the keys an ExternalSecret reads from its provider:
// spec.data's secretKeys, or nil when spec.dataFrom adds keys not known.
func providerKeys(o *Object) map[string]bool {
	if value(o.Content, "spec", "dataFrom") != nil {
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
