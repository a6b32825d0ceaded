package model

import "strings"

// groupVictoriaMetrics is the API group of VictoriaMetrics operator's kinds.
const groupVictoriaMetrics = "operator.victoriametrics.com"

// vmWorkloads gives, for each VictoriaMetrics operator kind, the workloads
// it makes, each named by a prefix and the object's name: PrefixedName and
// the GetVM*Name functions of VictoriaMetrics/operator's api/operator
// (vmagent-NAME, vmstorage-NAME, vmclusterlb-NAME...). Each also gets a
// Service of the same name.
var vmWorkloads = map[string][]vmWorkload{
	"VMAuth":         {{"Deployment", "vmauth-"}},
	"VMSingle":       {{"Deployment", "vmsingle-"}},
	"VMAlert":        {{"Deployment", "vmalert-"}},
	"VMAlertmanager": {{"StatefulSet", "vmalertmanager-"}},
	"VLSingle":       {{"Deployment", "vlsingle-"}},
	"VMCluster":      {{"StatefulSet", "vmstorage-"}, {"StatefulSet", "vmselect-"}, {"Deployment", "vminsert-"}},
	"VLCluster":      {{"StatefulSet", "vlstorage-"}, {"Deployment", "vlselect-"}, {"Deployment", "vlinsert-"}},
}

// A vmWorkload is a workload kind and the prefix of its name.
type vmWorkload struct {
	kind, prefix string
}

// victoriaMetrics returns the workloads and Services the VictoriaMetrics
// operator makes for one of its objects: a VMAgent's Deployment (a
// StatefulSet with spec.statefulMode, a DaemonSet with
// spec.daemonSetMode), the components of a VMCluster (and its load
// balancer, vmclusterlb-NAME, with spec.requestsLoadBalancer.enabled).
func victoriaMetrics(o *Object, by string) []Made {
	name, ns := o.Ref.Name, o.Ref.Namespace
	workloads := vmWorkloads[o.Ref.Kind]
	switch o.Ref.Kind {
	case "VMAgent":
		kind := "Deployment"
		if b, _ := value(o.Content, "spec", "statefulMode").(bool); b {
			kind = "StatefulSet"
		}
		if b, _ := value(o.Content, "spec", "daemonSetMode").(bool); b {
			kind = "DaemonSet"
		}
		workloads = []vmWorkload{{kind, "vmagent-"}}
	case "VMCluster":
		if b, _ := value(o.Content, "spec", "requestsLoadBalancer", "enabled").(bool); b {
			workloads = append(workloads[:len(workloads):len(workloads)], vmWorkload{"Deployment", "vmclusterlb-"})
		}
	}
	var out []Made
	for _, w := range workloads {
		out = append(out,
			Made{Kind: w.kind, Namespace: ns, Name: w.prefix + name, By: by},
			Made{Kind: "Service", Namespace: ns, Name: w.prefix + name, By: by})
	}
	return out
}

// CutOperatorPrefix returns the rest of a name that starts with the kind
// word the VictoriaMetrics operator puts before the name of what it makes
// (vmalertmanager-stack for the VMAlertmanager stack), and whether it
// does.
func CutOperatorPrefix(name string) (string, bool) {
	for _, ws := range vmWorkloads {
		for _, w := range ws {
			if rest, ok := strings.CutPrefix(name, w.prefix); ok && rest != "" {
				return rest, true
			}
		}
	}
	for _, prefix := range []string{"vmagent-", "vmclusterlb-"} {
		if rest, ok := strings.CutPrefix(name, prefix); ok && rest != "" {
			return rest, true
		}
	}
	return "", false
}
