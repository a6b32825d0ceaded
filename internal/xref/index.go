package xref

import (
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/model"
)

// An entry is one object that exists, or will exist, in the cluster.
type entry struct {
	// obj is the rendered object, nil when something else makes it.
	obj *model.Object
	// keys are the data keys of a ConfigMap or Secret; nil when unknown.
	keys map[string]bool
	// madeBy says what makes an object that is not rendered.
	madeBy string
}

// A status is what a lookup found.
type status int

const (
	missing status = iota
	found
	// unknown: not rendered, but something fluxlint does not render could
	// make it.
	unknown
)

// An index holds the objects of one target cluster by group, kind,
// namespace and name.
type index struct {
	// objects holds the entries by model.ObjectKey, byKind by model.KindKey
	// (the first of each), for references whose kind has no known group.
	objects map[string]*entry
	byKind  map[string]*entry
	// operatorPodNS holds the namespaces where an operator may run pods
	// fluxlint does not model (operatorPodsIn); nil until needed.
	operatorPodNS map[string]bool
	// names lists the names of each kind in each namespace, for hints.
	names map[string][]string
	// unrendered says where Kustomizations that fluxlint could not render
	// (source unavailable offline, build failed) may put objects of any kind.
	unrendered scope
	// charts says where HelmReleases whose charts are not rendered may put
	// objects; charts are assumed not to make Flux objects. chartScopes
	// says which names they may give them there.
	charts      scope
	chartScopes []chartScope
	// templated holds the names with variables unknown offline.
	templated []templatedName
	// namespaces holds the namespaces that exist or will exist.
	namespaces map[string]bool
	pods       []*podTemplate
	hasFlux    bool
	// hasIstio is whether the cluster installs Istio, whose istiod puts
	// the ConfigMap istio-ca-root-cert in every namespace.
	hasIstio bool
	// hasAuthentik is whether the cluster installs authentik, which
	// deploys its outposts at run time (appMayMake).
	hasAuthentik bool
	// authentikNamespaces are the namespaces of its releases (and of
	// authentik-remote-cluster's), where an outpost's name follows an
	// object_naming_template set in authentik, not in Git.
	authentikNamespaces map[string]bool
	// onOpenShift is whether the cluster's objects configure OpenShift
	// (config.openshift.io, operator.openshift.io): the platform makes its
	// openshift-* namespaces.
	onOpenShift bool
	// target is the cluster the indexed objects land in ("" for the
	// cluster itself).
	target string
	// partial holds where ResourceSets not fully expanded may put objects.
	partial []partialScope
	// kinds tells the kinds without a namespace in the target, its CRDs
	// included.
	kinds *model.Scope
	// operators are the custom resources whose operators may make
	// objects named after them.
	operators []operatorResource
	// fleet, for an overlay of a tenant repository, says that the fleet
	// repository that applies it may make any object.
	fleet string
}

// A scope is where unrendered objects may land: namespaces, each with why,
// and, when cluster is set, cluster-scoped objects and namespaces that the
// repository does not define.
type scope struct {
	ns      map[string]string
	cluster string
}

// fluxControllers are the ServiceAccounts flux bootstrap makes, whose names
// Flux's own bindings use even for controllers not installed.
var fluxControllers = []string{"source-controller", "kustomize-controller", "helm-controller",
	"notification-controller", "image-reflector-controller", "image-automation-controller", "source-watcher"}

// optionalControllers are the controllers flux bootstrap installs only on
// request, whose ServiceAccounts Flux's ClusterRoleBindings always name.
var optionalControllers = []string{"image-reflector-controller", "image-automation-controller", "source-watcher"}

// fluxServices are the Services that installing Flux makes in flux-system
// (flux bootstrap and Flux Operator alike).
var fluxServices = []string{"source-controller", "notification-controller", "webhook-receiver", "source-watcher"}

// builtinNamespaces are made by Kubernetes itself.
var builtinNamespaces = []string{"default", "kube-system", "kube-public", "kube-node-lease"}

// newIndex indexes the objects of the cluster that land in one target (""
// for the cluster itself): view holds those objects, with the cluster's
// HelmReleases and findings; all holds every object of the cluster.
func newIndex(target string, view *model.Cluster, all []*model.Object, external []ExternalObject) *index {
	c := view
	ix := &index{target: target, objects: map[string]*entry{}, byKind: map[string]*entry{}, names: map[string][]string{}, namespaces: map[string]bool{},
		unrendered: scope{ns: map[string]string{}}, charts: scope{ns: map[string]string{}}, kinds: model.NewScope(view.Objects)}
	for _, ns := range builtinNamespaces {
		ix.namespaces[ns] = true
	}
	for _, o := range c.Objects {
		ix.addRendered(o)
	}
	var ifAbsent []model.Made
	for _, o := range c.Objects {
		ifAbsent = append(ifAbsent, ix.addProduced(o)...)
		ix.addOperatorResource(o)
	}
	for _, m := range ifAbsent {
		ix.addMade(m)
	}
	ix.addBootstrapped(c)
	ix.addFluxCRDs(slices.ContainsFunc(c.Objects, func(o *model.Object) bool { return model.Group(o.Ref.APIVersion) == model.GroupOperator }))
	for _, e := range external {
		group, _ := model.RefGroup(e.APIVersion, e.Kind)
		ix.add(group, e.Kind, e.Namespace, e.Name, &entry{madeBy: "externalObjects: " + e.Reason})
		if e.Kind == "Namespace" {
			ix.namespaces[e.Name] = true
		}
	}
	ix.markUnrendered(c, all)
	if c.Via == model.ViaTenant {
		ix.fleet = "the fleet repository that applies this tenant repository's overlay may make it"
		ix.unrendered.cluster = ix.fleet
	}
	for _, o := range c.Objects {
		ix.partial = append(ix.partial, kyvernoGenerates(o)...)
	}
	for k := range ix.names {
		slices.Sort(ix.names[k])
	}
	return ix
}

func (ix *index) add(group, kind, namespace, name string, e *entry) {
	k := model.ObjectKey(group, kind, namespace, name)
	if _, dup := ix.objects[k]; dup {
		return
	}
	ix.objects[k] = e
	if kk := model.KindKey(kind, namespace, name); ix.byKind[kk] == nil {
		ix.byKind[kk] = e
	}
	nk := kind + "/" + namespace
	ix.names[nk] = append(ix.names[nk], name)
}

// addRendered records a rendered object.
func (ix *index) addRendered(o *model.Object) {
	ref := o.Ref
	e := &entry{obj: o}
	ix.addTemplated(ref.Kind, ref.Namespace, ref.Name, ref.String())
	if ref.Kind == "ConfigMap" || ref.Kind == "Secret" {
		e.keys = model.DataKeys(o)
	}
	ix.add(model.Group(ref.APIVersion), ref.Kind, ref.Namespace, ref.Name, e)
	if ref.Namespace != "" && ix.kinds.ClusterScoped(ref.APIVersion, ref.Kind) {
		// kustomize writes a Kustomization's namespace into the kinds its
		// schema does not know (a GatewayClass); the API server has it
		// without one.
		ix.add(model.Group(ref.APIVersion), ref.Kind, "", ref.Name, e)
	}
	if ref.Kind == "Namespace" {
		ix.namespaces[ref.Name] = true
	}
	if model.IsFluxGroup(model.Group(ref.APIVersion)) {
		ix.hasFlux = true
	}
	if installsIstio(o) {
		ix.hasIstio = true
	}
	if ns, ok := authentikNamespace(o); ok {
		ix.hasAuthentik = true
		if ix.authentikNamespaces == nil {
			ix.authentikNamespaces = map[string]bool{}
		}
		ix.authentikNamespaces[ns] = true
	}
	if configuresOpenShift(o) {
		ix.onOpenShift = true
	}
	if p := podTemplateOf(o); p != nil {
		ix.pods = append(ix.pods, p)
	}
	ix.pods = append(ix.pods, operatorPods(o)...)
}

// addProduced records what a rendered object makes once applied: the
// Secret of an ExternalSecret, SealedSecret or cert-manager Certificate, the
// namespace a HelmRelease creates. It returns, unrecorded, what is made
// only when nothing else makes it (model.Made.IfAbsent), for the caller to
// record once everything else is.
func (ix *index) addProduced(o *model.Object) (ifAbsent []model.Made) {
	for _, m := range model.Produces(o) {
		if m.IfAbsent {
			ifAbsent = append(ifAbsent, m)
		} else {
			ix.addMade(m)
		}
	}
	if model.IsKind(o, model.GroupHelm, "HelmRelease") {
		if b, _ := value(o.Content, "spec", "install", "createNamespace").(bool); b {
			ix.namespaces[helmNamespace(o)] = true
		}
	}
	return ifAbsent
}

// addMade records an object that a rendered one makes. A made object is
// of a kind that references name without its group: a Secret, a Service,
// a Deployment (apps).
func (ix *index) addMade(m model.Made) {
	if ix.addTemplated(m.Kind, m.Namespace, m.Name, m.By) {
		return
	}
	group, _ := model.KindGroup(m.Kind)
	ix.add(group, m.Kind, m.Namespace, m.Name, &entry{madeBy: m.By, keys: m.Keys})
}

// helmNamespace returns the namespace a HelmRelease installs into.
func helmNamespace(o *model.Object) string {
	if ns := str(o.Content, "spec", "targetNamespace"); ns != "" {
		return ns
	}
	return o.Ref.Namespace
}

// lookup finds an object. Kubernetes makes the default ServiceAccount and
// the kube-root-ca.crt ConfigMap in every namespace, the built-in
// ClusterRoles, and in kube-system the Roles of its bootstrap policy
// (extension-apiserver-authentication-reader, system:*) and the
// extension-apiserver-authentication ConfigMap.
func (ix *index) lookup(kind, namespace, name string) (*entry, status) {
	group, known := model.KindGroup(kind)
	return ix.lookupGroup(group, known, kind, namespace, name, nil)
}

// lookupGroup finds an object of a group, or of any group when known is
// false.
func (ix *index) lookupGroup(group string, known bool, kind, namespace, name string, except *model.Object) (*entry, status) {
	if known {
		if e, ok := ix.objects[model.ObjectKey(group, kind, namespace, name)]; ok {
			return e, found
		}
	} else if e, ok := ix.byKind[model.KindKey(kind, namespace, name)]; ok {
		return e, found
	}
	if e, ok := ix.byKind[model.KindKey(kind, model.AnyNamespace, name)]; ok && namespace != "" && e.madeBy != "" {
		return e, found // made in namespaces chosen by labels
	}
	if e := ix.kubernetesMade(kind, name); e != nil {
		return e, found
	}
	if kind == "ServiceAccount" && namespace == "kube-system" && slices.Contains(controllerServiceAccounts, name) {
		return &entry{madeBy: "kube-controller-manager, which runs each controller as a ServiceAccount of kube-system"}, found
	}
	if ix.fleet != "" {
		return nil, unknown
	}
	if kind == "Namespace" {
		return nil, ix.namespaceStatus(name)
	}
	if ix.unknownNameWhy(kind, namespace, name, except) != "" {
		return nil, unknown
	}
	return nil, missing
}

// unknownNameWhy says why an unrendered object of a kind and name may exist
// in a namespace, or "": as unknownWhy, except that the chart of a
// HelmRelease that is not rendered may make only the namespaced objects
// named after it (chartMayMake).
func (ix *index) unknownNameWhy(kind, namespace, name string, except *model.Object) string {
	if namespace == "" || fluxKinds[kind] {
		// Charts give cluster-scoped objects fixed names often (an
		// IngressClass nginx, Flux Operator's ClusterRole flux-web-admin):
		// any may exist while a chart is not rendered.
		return ix.unknownWhy(kind, namespace)
	}
	if why := ix.unrenderedWhy(kind, namespace); why != "" {
		return why
	}
	if why := ix.templatedWhy(kind, namespace, name); why != "" {
		return why
	}
	if why := ix.operatorMayMake(kind, namespace, name); why != "" {
		return why
	}
	if why := ix.appMayMake(kind, namespace, name); why != "" {
		return why
	}
	return ix.chartMayMake(namespace, name, except)
}

// controllerServiceAccounts are the ServiceAccounts of kube-system that
// kube-controller-manager runs its controllers as
// (--use-service-account-credentials, which kubeadm, k3s and Talos set),
// and that Kubernetes' bootstrap policy binds to the
// system:controller:<name> ClusterRoles (plugin/pkg/auth/authorizer/rbac/
// bootstrappolicy/controller_policy.go of kubernetes/kubernetes).
var controllerServiceAccounts = []string{
	"attachdetach-controller", "certificate-controller", "clusterrole-aggregation-controller", "cronjob-controller",
	"daemon-set-controller", "deployment-controller", "disruption-controller", "endpoint-controller",
	"endpointslice-controller", "endpointslicemirroring-controller", "ephemeral-volume-controller", "expand-controller",
	"generic-garbage-collector", "horizontal-pod-autoscaler", "job-controller", "legacy-service-account-token-cleaner",
	"namespace-controller", "node-controller", "persistent-volume-binder", "pod-garbage-collector",
	"pv-protection-controller", "pvc-protection-controller", "replicaset-controller", "replication-controller",
	"resource-claim-controller", "resourcequota-controller", "root-ca-cert-publisher", "route-controller",
	"service-account-controller", "service-cidrs-controller", "service-controller", "statefulset-controller",
	"ttl-after-finished-controller", "ttl-controller", "validatingadmissionpolicy-status-controller",
	"volumeattributesclass-protection-controller",
}

// kubernetesBuiltin reports whether Kubernetes makes an object of a kind
// and name itself, whatever the cluster: the default ServiceAccount, the
// built-in ClusterRoles, kube-system's bootstrap Roles and the
// extension-apiserver-authentication ConfigMap.
func kubernetesBuiltin(kind, name string) bool {
	switch kind {
	case "ServiceAccount":
		return name == "default"
	case "ClusterRole":
		return slices.Contains(builtinClusterRoles, name) || strings.HasPrefix(name, "system:")
	case "Role":
		return name == "extension-apiserver-authentication-reader" || strings.HasPrefix(name, "system:")
	case "ConfigMap":
		return name == "extension-apiserver-authentication"
	}
	return false
}

// kubernetesMade returns the entry of an object Kubernetes makes itself,
// or nil.
func (ix *index) kubernetesMade(kind, name string) *entry {
	switch {
	case kubernetesBuiltin(kind, name), kind == "Namespace" && ix.namespaces[name]:
		return &entry{madeBy: "Kubernetes"}
	case kind == "Namespace" && ix.onOpenShift && (name == "openshift" || strings.HasPrefix(name, "openshift-")):
		return &entry{madeBy: "OpenShift, whose platform namespaces are openshift-*"}
	case kind == "ConfigMap" && name == model.KubeRootCA:
		return &entry{madeBy: "Kubernetes", keys: map[string]bool{model.KubeRootCAKey: true}}
	case kind == "ConfigMap" && name == "istio-ca-root-cert" && ix.hasIstio:
		return &entry{madeBy: "istiod, in every namespace", keys: map[string]bool{"root-cert.pem": true}}
	}
	return nil
}

// unknownWhy says why unrendered objects of a kind may exist in a namespace
// ("" for cluster-scoped objects), or "".
func (ix *index) unknownWhy(kind, namespace string) string {
	if why := ix.unrenderedWhy(kind, namespace); why != "" {
		return why
	}
	if fluxKinds[kind] {
		return ""
	}
	if why := ix.charts.ns[namespace]; why != "" {
		return why
	}
	if namespace == "" {
		return ix.charts.cluster
	}
	return ""
}

// unrenderedWhy says why Kustomizations that are not rendered, or
// ResourceSets not fully expanded, may make an object of a kind in a
// namespace, or "".
func (ix *index) unrenderedWhy(kind, namespace string) string {
	if why := ix.unrendered.ns[namespace]; why != "" {
		return why
	}
	if why := ix.partialWhy(kind, namespace); why != "" {
		return why
	}
	// A Kustomization without targetNamespace puts its objects in the
	// namespaces its manifests name: any that the repository does not
	// create (what lands in one it creates is assumed rendered), and any
	// Flux object, which dependsOn and health checks name.
	if ix.unrendered.cluster != "" && (namespace == "" || !ix.namespaces[namespace] || fluxKinds[kind]) {
		return ix.unrendered.cluster
	}
	return ""
}

// A chartScope is what the chart of a HelmRelease that is not rendered may
// make in its namespace: objects whose names start with one of prefixes,
// or any name when its values are not known.
type chartScope struct {
	hr        *model.Object
	namespace string
	prefixes  []string
	known     bool
	why       string
}

// ownChartIn reports whether a Flux Kustomization itself deploys a
// HelmRelease whose chart is not rendered and installs into namespace: the
// names that chart, or an operator it installs (the GPU operator's
// DaemonSets), gives its objects are not known.
func (ix *index) ownChartIn(ks *model.Object, namespace string) bool {
	producer := ks.Ref.String()
	for _, c := range ix.chartScopes {
		if c.namespace == namespace && len(c.hr.Chain) > 0 && c.hr.Chain[len(c.hr.Chain)-1] == producer {
			return true
		}
	}
	return false
}

// chartMayMake says why a chart that is not rendered may make a namespaced
// object of a name, or "". A chart names its objects after its release
// (ChartNames); except is a HelmRelease whose own chart cannot make it (a
// valuesFrom source is read before the chart renders).
func (ix *index) chartMayMake(namespace, name string, except *model.Object) string {
	for _, c := range ix.chartScopes {
		if c.namespace != namespace || c.hr == except {
			continue
		}
		if !c.known || model.IsOperatedService(name) {
			return c.why
		}
		for _, p := range c.prefixes {
			if strings.HasPrefix(name, p) || operatorPrefixed(name, p) {
				return c.why
			}
		}
	}
	return ""
}

// namespaceStatus says whether a Namespace that the repository does not
// make may exist: one that unrendered objects live in or a chart may make.
func (ix *index) namespaceStatus(name string) status {
	if ix.unrendered.ns[name] != "" || ix.unrendered.cluster != "" || ix.charts.ns[name] != "" ||
		ix.partialWhy("Namespace", "") != "" || ix.chartMayMakeNamespace(name) {
		return unknown
	}
	return missing
}

// chartMayMakeNamespace reports whether an unrendered chart, wherever it
// is released, may make a Namespace of a name: one that starts with a name
// of the release's (Cilium's chart makes cilium-secrets for the release
// cilium). A chart whose values are not all known is not taken to make
// every namespace.
func (ix *index) chartMayMakeNamespace(name string) bool {
	for _, c := range ix.chartScopes {
		if c.known && slices.ContainsFunc(c.prefixes, func(p string) bool { return strings.HasPrefix(name, p+"-") }) {
			return true
		}
	}
	return false
}

// operatorPrefixed reports whether a name is a chart's name p behind the
// kind word an operator puts before the custom resources the chart makes
// (the VictoriaMetrics operator's Service vmsingle-<name> for a VMSingle
// <name>): behind one of the VictoriaMetrics operator's kind words, p
// begins the rest; behind another word, p, a distinctive name of several
// words, is the name's last words or its middle ones.
func operatorPrefixed(name, p string) bool {
	if rest, ok := model.CutOperatorPrefix(name); ok && (rest == p || strings.HasPrefix(rest, p+"-")) {
		return true // the VictoriaMetrics operator's kind word, whatever p's length
	}
	if !strings.Contains(p, "-") && len(p) < 8 {
		return false
	}
	return strings.HasSuffix(name, "-"+p) || strings.Contains(name, "-"+p+"-")
}

// fluxKinds are the Flux kinds, which charts are assumed not to make.
var fluxKinds = map[string]bool{
	"Kustomization": true, "HelmRelease": true, "GitRepository": true, "HelmRepository": true, "OCIRepository": true,
	"Bucket": true, "HelmChart": true, "Provider": true, "Alert": true, "Receiver": true, "ImageRepository": true,
	"ImagePolicy": true, "ImageUpdateAutomation": true,
}

// addFluxPods records the pod templates of Flux's controllers when the
// cluster's renders do not make them (kustomize-controller's Deployment):
// in flux-system, and in the namespace of each FluxInstance.
func (ix *index) addFluxPods(c *model.Cluster) {
	if _, ok := ix.objects[model.ObjectKey("apps", "Deployment", "flux-system", "kustomize-controller")]; ok {
		return
	}
	namespaces := []string{"flux-system"}
	for _, o := range c.Objects {
		if model.IsKind(o, model.GroupOperator, "FluxInstance") && o.Ref.Namespace != "" && o.Target == ix.target && !slices.Contains(namespaces, o.Ref.Namespace) {
			namespaces = append(namespaces, o.Ref.Namespace)
		}
	}
	for _, ns := range namespaces {
		ix.pods = append(ix.pods, fluxPods(ns)...)
	}
}

// addBootstrapped records what a cluster's bootstrap makes: flux
// bootstrap's namespace, credentials, ServiceAccounts and Services, and the
// credentials of the repository's own sources.
func (ix *index) addBootstrapped(c *model.Cluster) {
	if ix.hasFlux {
		// flux bootstrap makes its namespace and the Git credentials.
		ix.namespaces["flux-system"] = true
		ix.add("", "Secret", "flux-system", "flux-system", &entry{madeBy: "flux bootstrap"})
		// Without the components in the repository, bootstrap makes the
		// controllers' ServiceAccounts; with them, only the optional image
		// controllers that Flux's own bindings name may be missing.
		controllers := fluxControllers
		if _, ok := ix.objects[model.ObjectKey("apps", "Deployment", "flux-system", "kustomize-controller")]; ok {
			controllers = optionalControllers
		}
		for _, sa := range controllers {
			ix.add("", "ServiceAccount", "flux-system", sa, &entry{madeBy: "flux bootstrap"})
		}
		// The Services of Flux's components: Receivers are reached
		// through webhook-receiver.
		for _, svc := range fluxServices {
			ix.add("", "Service", "flux-system", svc, &entry{madeBy: "the Flux installation"})
		}
		ix.addFluxPods(c)
	}
	for _, ns := range c.BootstrapNamespaces {
		// flux bootstrap --namespace ns makes it with the sync source.
		ix.namespaces[ns] = true
		ix.add("", "Namespace", "", ns, &entry{madeBy: "flux bootstrap --namespace " + ns})
	}
	for _, src := range c.SelfSources {
		// The credentials of the repository itself are made when the
		// cluster is bootstrapped, as flux bootstrap makes flux-system.
		if name := str(src.Content, "spec", "secretRef", "name"); name != "" && src.Target == ix.target {
			ix.add("", "Secret", src.Ref.Namespace, name, &entry{madeBy: "the bootstrap, with the repository's own source " + src.Ref.String()})
		}
	}
}

// operatorPodsIn reports whether the operator of a custom resource of a
// namespace may run pods there whose labels fluxlint does not know (a
// RabbitmqCluster's, a Zalando postgresql's), so that a selector that
// matches no pod template seen may still select them, as the monitors'
// scope already allows (monitorScopeUnknown). CloudNativePG's pods are
// modelled (operatorPods), and Flux Operator's objects are rendered.
func (ix *index) operatorPodsIn(namespace string) bool {
	if ix.operatorPodNS == nil {
		ix.operatorPodNS = map[string]bool{}
		for _, e := range ix.objects {
			o := e.obj
			if o == nil || o.Ref.Namespace == "" || !makesWorkloads(o) {
				continue
			}
			if g := model.Group(o.Ref.APIVersion); g != cnpgGroup && g != model.GroupOperator {
				ix.operatorPodNS[o.Ref.Namespace] = true
			}
		}
	}
	return ix.operatorPodNS[namespace]
}
