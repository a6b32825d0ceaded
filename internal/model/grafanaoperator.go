package model

// groupGrafana is the API group of grafana-operator's kinds.
const groupGrafana = "grafana.integreatly.org"

// grafanaObjects returns what grafana-operator (v5) makes for a Grafana
// that it runs itself (no spec.external), each named after the Grafana as
// controllers/resources/resources.go names them: the ConfigMaps <name>-ini
// and <name>-plugins, the Secret <name>-admin-credentials, the
// ServiceAccount <name>-sa, the Services <name>-service and
// <name>-alerting, the Deployment <name>-deployment and, when the spec asks
// for them, the PersistentVolumeClaim <name>-pvc, the Ingress
// <name>-ingress, the OpenShift Route <name>-route and the HTTPRoute
// <name>-httproute.
func grafanaObjects(o *Object, by string) []Made {
	if value(o.Content, "spec", "external") != nil {
		return nil
	}
	name, ns := o.Ref.Name, o.Ref.Namespace
	made := func(kind, suffix string) Made {
		return Made{Kind: kind, Namespace: ns, Name: name + suffix, By: by}
	}
	out := []Made{
		made("ConfigMap", "-ini"), made("ConfigMap", "-plugins"), made("Secret", "-admin-credentials"),
		made("ServiceAccount", "-sa"), made("Service", "-service"), made("Service", "-alerting"),
		made("Deployment", "-deployment"),
	}
	for _, opt := range []struct{ field, kind, suffix string }{
		{"persistentVolumeClaim", "PersistentVolumeClaim", "-pvc"},
		{"ingress", "Ingress", "-ingress"},
		{"route", "Route", "-route"},
		{"httpRoute", "HTTPRoute", "-httproute"},
	} {
		if value(o.Content, "spec", opt.field) != nil {
			out = append(out, made(opt.kind, opt.suffix))
		}
	}
	return out
}

// MakesExactly reports whether Produces lists all the objects of a kind
// that the operator of an object makes, so that no other name is to be
// guessed as its: a Grafana that grafana-operator runs, a CloudNativePG
// Cluster's Secrets and Services (cnpgMakesExactly).
func MakesExactly(o *Object, kind string) bool {
	switch Group(o.Ref.APIVersion) {
	case groupGrafana:
		return o.Ref.Kind == "Grafana" && value(o.Content, "spec", "external") == nil
	case groupCNPG:
		return cnpgMakesExactly(o, kind)
	}
	return false
}

// grafanaServiceAccountTokens returns the Secrets in which grafana-operator
// stores the tokens of a GrafanaServiceAccount (api/v1beta1's
// GrafanaServiceAccountTokenSpec): one per spec.tokens entry that names
// its secretName, in the resource's namespace. An entry without one gets
// a generated name, which nothing can name beforehand.
func grafanaServiceAccountTokens(o *Object, by string) []Made {
	tokens, _ := value(o.Content, "spec", "tokens").([]any)
	var out []Made
	for _, t := range tokens {
		token, _ := t.(map[string]any)
		if name, _ := token["secretName"].(string); name != "" {
			out = append(out, Made{Kind: "Secret", Namespace: o.Ref.Namespace, Name: name, By: by})
		}
	}
	return out
}
