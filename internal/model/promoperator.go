package model

// groupMonitoring is the API group of prometheus-operator's kinds.
const groupMonitoring = "monitoring.coreos.com"

// operatedKinds are prometheus-operator's kinds that it runs as
// StatefulSets behind a governing Service.
var operatedKinds = []string{"Prometheus", "Alertmanager", "ThanosRuler"}

// OperatedService returns the governing Service that prometheus-operator
// makes in each namespace holding an object of a kind (a Prometheus, an
// Alertmanager or a ThanosRuler): prometheus-operated,
// alertmanager-operated, thanos-ruler-operated; "" for other kinds.
func OperatedService(kind string) string {
	switch kind {
	case "Prometheus":
		return "prometheus-operated"
	case "Alertmanager":
		return "alertmanager-operated"
	case "ThanosRuler":
		return "thanos-ruler-operated"
	}
	return ""
}

// IsOperatedService reports whether a name is one of prometheus-operator's
// governing Services.
func IsOperatedService(name string) bool {
	for _, k := range operatedKinds {
		if OperatedService(k) == name {
			return true
		}
	}
	return false
}

// prometheusOperated returns what prometheus-operator makes for a
// Prometheus, an Alertmanager or a ThanosRuler: the governing Service of
// its kind in its namespace, and its StatefulSet, named after it behind
// its kind (prometheus-<name>, alertmanager-<name>, thanos-ruler-<name>).
func prometheusOperated(o *Object, by string) []Made {
	svc := OperatedService(o.Ref.Kind)
	prefix := svc[:len(svc)-len("operated")]
	return []Made{
		{Kind: "Service", Namespace: o.Ref.Namespace, Name: svc, By: by},
		{Kind: "StatefulSet", Namespace: o.Ref.Namespace, Name: prefix + o.Ref.Name, By: by},
	}
}
