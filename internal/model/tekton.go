package model

// groupTekton is the API group of the Tekton Operator's resources.
const groupTekton = "operator.tekton.dev"

// tektonDefaultNamespace is where the Tekton Operator installs its
// components on Kubernetes when spec.targetNamespace is not set.
const tektonDefaultNamespace = "tekton-pipelines"

// tektonDashboard returns what the Tekton Operator makes for a
// TektonDashboard, or for a TektonConfig whose profile is all (which on
// Kubernetes installs the TektonDashboard; tektoncd/operator
// docs/TektonConfig.md, Profile): the Dashboard's release, whose Service
// and Deployment are tekton-dashboard, in spec.targetNamespace
// (tekton-pipelines by default). A Dashboard switched off in its options
// makes nothing.
func tektonDashboard(o *Object, by string) []Made {
	options := []string{"spec", "options", "disabled"}
	if o.Ref.Kind == "TektonConfig" {
		if str(o.Content, "spec", "profile") != "all" {
			return nil
		}
		options = []string{"spec", "dashboard", "options", "disabled"}
	}
	if off, _ := value(o.Content, options...).(bool); off {
		return nil
	}
	ns := str(o.Content, "spec", "targetNamespace")
	if ns == "" {
		ns = tektonDefaultNamespace
	}
	return []Made{
		{Kind: "Service", Namespace: ns, Name: "tekton-dashboard", By: by},
		{Kind: "Deployment", Namespace: ns, Name: "tekton-dashboard", By: by},
	}
}
