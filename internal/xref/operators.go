package xref

import (
	"path"
	"strings"

	"github.com/fluxlint/fluxlint/internal/model"
)

// An operatorResource is a custom resource whose operator makes objects
// that fluxlint does not see (a CloudNativePG Cluster makes the Secret
// <name>-app and the Service <name>-rw, a LiteLLM virtual key its Secret).
// Operators name what they make after their resource, so a missing
// object named after one in its namespace may exist once it runs.
type operatorResource struct {
	obj *model.Object
}

// operatorMadeKinds are the kinds an operator commonly makes for a
// resource (a Gateway's Deployment and Service named after it, as
// agentgateway and Istio make them; an MCPServer's StatefulSet); a
// reference to another kind does not look at operators.
var operatorMadeKinds = map[string]bool{
	"Secret": true, "ConfigMap": true, "Service": true, "PersistentVolumeClaim": true, "ServiceAccount": true,
	"Deployment": true, "StatefulSet": true, "DaemonSet": true,
}

// addOperatorResource records o when it is a custom resource whose
// operator may make objects (the Secret it names in spec.secretName is
// model.Produces'), namespaced or cluster-scoped.
func (ix *index) addOperatorResource(o *model.Object) {
	if !makesWorkloads(o) || model.Group(o.Ref.APIVersion) == model.GroupOperator {
		// What Flux Operator makes is modelled: a FluxInstance's
		// controllers (addBootstrapped), a ResourceSet's expansion.
		return
	}
	ix.operators = append(ix.operators, operatorResource{obj: o})
}

// operatorMayMake says why the operator of a custom resource may make an
// object of a kind and name in a namespace, or "": for a resource of the
// namespace, the name holds the resource's name as whole dash-separated
// words; for a cluster-scoped one (KubeVirt CDI's CDI cdi, whose operator
// makes the Service cdi-uploadproxy in its own namespace), the name starts
// with the resource's (of two letters or more: kopiur's ClusterRepository
// r2 makes the Service r2-kopia-ui) and a dash, in any namespace.
func (ix *index) operatorMayMake(kind, namespace, name string) string {
	if !operatorMadeKinds[kind] {
		return ""
	}
	for _, op := range ix.operators {
		ns, base := op.obj.Ref.Namespace, op.obj.Ref.Name
		here := ns == namespace && (namedAfter(name, base) || installerKinds[op.obj.Ref.Kind+"."+model.Group(op.obj.Ref.APIVersion)]) ||
			ns == "" && len(base) >= 2 && !genericNames[base] && strings.HasPrefix(name, base+"-")
		if here && !model.MakesExactly(op.obj, kind) {
			return "the operator of " + op.obj.Ref.String() + " may make it"
		}
	}
	return ""
}

// installerKinds are the custom resources, by kind and group, whose
// operators install a whole product into the resource's namespace, under
// the product's own names rather than the resource's: Knative's operator
// makes Serving's ServiceAccount controller and its activator, autoscaler
// and webhook beside a KnativeServing, Istio's operator istiod beside an
// IstioOperator.
var installerKinds = map[string]bool{
	"KnativeServing.operator.knative.dev":  true,
	"KnativeEventing.operator.knative.dev": true,
	"IstioOperator.install.istio.io":       true,
}

// genericNames are names that singleton custom resources often have
// (an operator's configuration named default), which say nothing of the
// objects their operators make.
var genericNames = map[string]bool{"default": true, "cluster": true, "config": true, "main": true, "instance": true, "global": true}

// madeAtRunTime reports whether the objects of a custom kind are made by
// its controllers at run time: no object of the kind is rendered in the
// cluster (zfs-localpv's node agent makes a ZFSNode named after each node),
// so a health check of one cannot be checked offline.
func (ix *index) madeAtRunTime(apiVersion, kind string) bool {
	group := model.Group(apiVersion)
	if builtinGroup(group) || model.IsFluxGroup(group) || group == model.GroupOperator || kind == "" {
		return false
	}
	for k := range ix.names {
		if strings.HasPrefix(k, kind+"/") {
			return false
		}
	}
	return true
}

// namedAfter reports whether name holds base as whole dash-separated
// words: base, base-x, x-base or x-base-y.
func namedAfter(name, base string) bool {
	if len(base) < 3 {
		return false
	}
	return name == base || strings.HasPrefix(name, base+"-") || strings.HasSuffix(name, "-"+base) || strings.Contains(name, "-"+base+"-")
}

// configuresOpenShift reports whether an object is of an API group that
// only OpenShift serves (its cluster configuration and operators; a Route
// of route.openshift.io says nothing, as other routers read Routes), or
// subscribes to an operator of OpenShift's OperatorHub.
func configuresOpenShift(o *model.Object) bool {
	group := model.Group(o.Ref.APIVersion)
	if group == "operators.coreos.com" && o.Ref.Kind == "Subscription" {
		// OLM's Subscription to a catalog of openshift-marketplace, the
		// namespace of OpenShift's OperatorHub catalogs (redhat-operators);
		// OLM elsewhere keeps its catalogs in olm.
		return str(o.Content, "spec", "sourceNamespace") == "openshift-marketplace"
	}
	return strings.HasSuffix(group, ".openshift.io") && group != "route.openshift.io"
}

// installsIstio reports whether an object installs Istio's control plane
// or configures it: a HelmRelease of the istiod chart, an IstioOperator,
// or any object of Istio's API groups.
func installsIstio(o *model.Object) bool {
	group := model.Group(o.Ref.APIVersion)
	if strings.HasSuffix(group, "istio.io") {
		return true
	}
	if !model.IsKind(o, model.GroupHelm, "HelmRelease") {
		return false
	}
	chart := str(o.Content, "spec", "chart", "spec", "chart")
	return path.Base(chart) == "istiod" || str(o.Content, "spec", "chartRef", "name") == "istiod"
}
