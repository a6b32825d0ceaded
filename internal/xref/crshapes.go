package xref

import (
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// customResource reports whether an object's group is neither one of
// Kubernetes' own, nor Flux's toolkit or Flux Operator's (checked by
// checkFlux), nor the Gateway API (whose references name their kind and
// are checked by checkRoute). Flux's contributed controllers
// (tofu-controller's infra.contrib.fluxcd.io) are custom resources.
func customResource(o *model.Object) bool {
	group := model.Group(o.Ref.APIVersion)
	toolkit := strings.HasSuffix(group, ".toolkit.fluxcd.io") || group == model.GroupOperator
	return !builtinGroup(group) && !toolkit && group != gatewayGroup
}

// operatorMadeFields are fields, by group, that name an object the
// group's operator makes itself: cert-manager writes the ACME account key
// to privateKeySecretRef.
var operatorMadeFields = map[string]map[string]bool{
	certManagerGroup: {"privateKeySecretRef": true},
}

// checkCustomResource checks, in any custom resource, the reference
// shapes of Kubernetes' own API types, found by field name and shape:
// secretKeyRef and configMapKeyRef ({name, key}), persistentVolumeClaim
// claimName, embedded pod templates (template.spec with containers) and,
// as a warning, secretRef, configMapRef and *SecretRef ({name} with an
// optional namespace). A missing object whose name is the resource's own
// name or starts with it and a dash is not reported, unless the name is a
// typo of one that exists: operators name what they make so
// (CloudNativePG's <cluster>-app Secret, Grafana's <name>-pvc).
func (r *reporter) checkCustomResource(o *model.Object) {
	prev := r.skip
	r.skip = func(rf ref) bool {
		owned := rf.name == o.Ref.Name || strings.HasPrefix(rf.name, o.Ref.Name+"-")
		return rf.obj == o && owned && closest(rf.name, r.ix.names[rf.kind+"/"+rf.namespace]) == ""
	}
	defer func() { r.skip = prev }()
	r.specServiceAccount(o)
	for _, k := range sortedKeys(o.Content) {
		if k == "apiVersion" || k == "kind" || k == "metadata" || k == "status" {
			continue
		}
		r.walkShapes(o, []string{k}, o.Content[k])
	}
}

// specServiceAccount checks, as a warning, a namespaced custom resource's
// spec.serviceAccountName: the ServiceAccount its operator runs the
// resource's pods or jobs as (system-upgrade-controller's Plan,
// prometheus-operator's Prometheus), which must exist in its namespace.
func (r *reporter) specServiceAccount(o *model.Object) {
	spec := asMap(o.Content["spec"])
	if name := str(spec, "serviceAccountName"); name != "" && o.Ref.Namespace != "" && !r.clusterScopedKind(o) {
		r.shapeRef(o, []string{"spec", "serviceAccountName"}, nil, "ServiceAccount", name, RuleServiceAccountMissing, "spec.serviceAccountName", true)
	}
}

// templateServiceAccount checks, as a warning, the serviceAccountName of
// a pod template in a custom resource that has no containers of its own
// (Argo Events' EventSource and Sensor spec.template, whose pods the
// operator makes): the ServiceAccount must exist in the resource's
// namespace.
func (r *reporter) templateServiceAccount(o *model.Object, path []string, k string, v any) {
	name, _ := v.(string)
	if k != "serviceAccountName" || name == "" || len(path) < 2 || path[len(path)-1] != "template" {
		return
	}
	if o.Ref.Namespace != "" && !r.clusterScopedKind(o) {
		r.shapeRef(o, join(path, k), nil, "ServiceAccount", name, RuleServiceAccountMissing, "template serviceAccountName", true)
	}
}

// walkShapes looks for reference shapes below a path.
func (r *reporter) walkShapes(o *model.Object, path []string, v any) {
	switch t := v.(type) {
	case []any:
		for i, item := range t {
			r.walkShapes(o, join(path, i), item)
		}
	case map[string]any:
		for _, k := range sortedKeys(t) {
			if k == "parentRefs" {
				r.embeddedParentRefs(o, join(path, k), t[k])
			}
			if k == "backendRefs" {
				r.embeddedBackendRefs(o, join(path, k), t[k])
			}
			if strings.HasSuffix(k, "From") && k != "valueFrom" {
				r.inputsFrom(o, join(path, k), k, t[k])
			}
			if k == "volumes" && r.volumeShapes(o, join(path, k), t[k]) {
				continue
			}
			r.templateServiceAccount(o, path, k, t[k])
			if m := asMap(t[k]); m == nil {
				r.walkShapes(o, join(path, k), t[k])
			} else if !r.shape(o, join(path, k), k, m) {
				r.walkShapes(o, join(path, k), m)
			}
		}
	}
}

// shape checks a map that is a reference shape, and reports whether it
// is one (else the walk goes into it).
func (r *reporter) shape(o *model.Object, p []string, k string, m map[string]any) bool {
	switch {
	case k == "template" && listAt(m, "spec", "containers") != nil:
		if o.Ref.Namespace != "" && !r.clusterScopedKind(o) {
			r.checkPodSpec(o, join(p, "spec"))
		}
	case k == "secretKeyRef" || k == "configMapKeyRef":
		r.keyRefShape(o, p, k, m)
	case (k == "backend" || k == "defaultBackend") && str(m, "service", "name") != "":
		// An Ingress's backend (a Grafana's spec.ingress.spec, which its
		// operator turns into an Ingress of the resource's namespace).
		if o.Ref.Namespace != "" && !r.clusterScopedKind(o) && !skipName(str(m, "service", "name")) {
			r.ingressBackend(o, join(p, "service"), mapAt(m, "service"))
		}
	case k == "persistentVolumeClaim" && str(m, "claimName") != "":
		r.shapeRef(o, join(p, "claimName"), m, "PersistentVolumeClaim", str(m, "claimName"), RulePVCMissing, k, false)
	default:
		return r.refShape(o, p, k, m)
	}
	return true
}

// refShape checks a map that is a reference named by its field (a
// sourceRef, a secretRef, a *ConfigMapRef), and reports whether it is one.
func (r *reporter) refShape(o *model.Object, p []string, k string, m map[string]any) bool {
	switch {
	case k == "sourceRef" && fluxSourceKinds[str(m, "kind")]:
		r.fluxSourceShape(o, p, m)
	case operatorMadeFields[model.Group(o.Ref.APIVersion)][k]:
	case k == "secretRef" || strings.HasSuffix(k, "SecretRef"):
		r.nameRefShape(o, p, k, m, "Secret")
	case k == "configMapRef" || strings.HasSuffix(k, "ConfigMapRef"):
		r.nameRefShape(o, p, k, m, "ConfigMap")
	default:
		return false
	}
	return true
}

// embeddedParentRefs checks the parentRefs of a Gateway API route spec
// embedded in a custom resource (a Grafana's httpRoute, which its operator
// turns into an HTTPRoute in the resource's namespace): each names a
// Gateway that must exist. Listeners are not checked, since which kind of
// route the operator makes is its own.
func (r *reporter) embeddedParentRefs(o *model.Object, path []string, v any) {
	list, _ := v.([]any)
	for i, p := range list {
		m := asMap(p)
		if m == nil || orDefault(str(m, "group"), gatewayGroup) != gatewayGroup || orDefault(str(m, "kind"), "Gateway") != "Gateway" {
			continue
		}
		if rf, ok := r.shapeRefOf(o, join(path, i, "name"), m, "Gateway", str(m, "name"), RuleObjectMissing, "parentRefs"); ok {
			r.resolve(rf)
		}
	}
}

// embeddedBackendRefs checks the backendRefs of a Gateway API route rule
// embedded in a custom resource (a Grafana's httpRoute, an Envoy Gateway
// policy's backends): each Service must exist, with the port named.
// Whether another namespace grants the reference depends on the kind the
// operator makes, which is its own, so it is not checked.
func (r *reporter) embeddedBackendRefs(o *model.Object, path []string, v any) {
	list, _ := v.([]any)
	for i, b := range list {
		m := asMap(b)
		if m == nil || str(m, "group") != "" || orDefault(str(m, "kind"), "Service") != "Service" {
			continue
		}
		rf, ok := r.shapeRefOf(o, join(path, i, "name"), m, "Service", str(m, "name"), RuleServiceMissing, "backendRefs")
		if !ok {
			continue
		}
		if e := r.resolve(rf); e != nil && e.obj != nil {
			if n, ok := numberOf(m["port"]); ok {
				r.servicePort(o, join(path, i, "port"), e.obj, n, "")
			}
		}
	}
}

// fluxSourceKinds are the kinds of Flux's sources, which a custom
// resource's sourceRef names when it builds on one (tofu-controller's
// Terraform).
var fluxSourceKinds = map[string]bool{
	"GitRepository": true, "OCIRepository": true, "Bucket": true, "HelmRepository": true, "HelmChart": true, "ExternalArtifact": true,
}

// fluxSourceShape checks a custom resource's sourceRef that names a Flux
// source by kind: the source must exist, in the namespace it names or the
// resource's own.
func (r *reporter) fluxSourceShape(o *model.Object, path []string, m map[string]any) {
	if av := str(m, "apiVersion"); av != "" && model.Group(av) != model.GroupSource {
		return
	}
	rf, ok := r.shapeRefOf(o, join(path, "name"), m, str(m, "kind"), str(m, "name"), RuleSourceMissing, "sourceRef")
	if ok && !bootstrapSource(rf.kind, rf.namespace, rf.name) {
		r.resolve(rf)
	}
}

// inputsFrom checks, as warnings, the items of a custom resource's list
// named *From (tofu-controller's varsFrom and backendConfigsFrom) that
// name a Secret or ConfigMap by kind and name, as Flux's valuesFrom does:
// inputs read from objects that must exist.
func (r *reporter) inputsFrom(o *model.Object, path []string, field string, v any) {
	list, _ := v.([]any)
	for i, item := range list {
		m := asMap(item)
		kind := str(m, "kind")
		if kind != "Secret" && kind != "ConfigMap" || str(m, "name") == "" {
			continue
		}
		r.shapeRef(o, join(path, i, "name"), m, kind, str(m, "name"), ruleFor(kind), field, true)
	}
}

// volumeShapes checks the volumes of a custom resource that its operator
// mounts into the pods it makes (a games-on-whales User's volumes) as a
// pod spec's are checked, and reports whether it did: a list of Volumes,
// items with a name, in a namespaced resource.
func (r *reporter) volumeShapes(o *model.Object, path []string, v any) bool {
	list, _ := v.([]any)
	if len(list) == 0 || o.Ref.Namespace == "" || r.clusterScopedKind(o) {
		return false
	}
	for _, item := range list {
		if str(asMap(item), "name") == "" {
			return false
		}
	}
	for i, item := range list {
		r.checkVolume(o, join(path, i), asMap(item))
	}
	return true
}

// keyRefShape checks a SecretKeySelector or ConfigMapKeySelector: its
// object and, when the object's keys are known, its key.
func (r *reporter) keyRefShape(o *model.Object, path []string, field string, m map[string]any) {
	name, _ := m["name"].(string)
	key, _ := m["key"].(string)
	if name == "" || key == "" || !onlyKeys(m, "name", "key", "optional", "namespace") {
		return
	}
	kind := "Secret"
	if field == "configMapKeyRef" {
		kind = "ConfigMap"
	}
	rf, ok := r.shapeRefOf(o, path, m, kind, name, ruleFor(kind), field)
	if !ok {
		return
	}
	rf.path = join(path, "name")
	r.key(rf, r.resolve(rf), key, join(path, "key"))
}

// nameRefShape checks a {name, namespace} reference named like a Secret or
// ConfigMap reference. Its shape is a guess, so a missing object is a
// warning, and keys are not checked.
func (r *reporter) nameRefShape(o *model.Object, path []string, field string, m map[string]any, kind string) {
	name, _ := m["name"].(string)
	if name == "" || !onlyKeys(m, "name", "namespace", "key", "optional", "kind", "apiVersion") {
		return
	}
	if k := str(m, "kind"); k != "" && k != kind {
		return
	}
	if av := str(m, "apiVersion"); av != "" && av != "v1" {
		return
	}
	r.shapeRef(o, join(path, "name"), m, kind, name, ruleFor(kind), field, true)
}

// shapeRef resolves a reference found by its shape.
func (r *reporter) shapeRef(o *model.Object, path []string, m map[string]any, kind, name, rule, what string, guess bool) {
	rf, ok := r.shapeRefOf(o, path, m, kind, name, rule, what)
	if !ok {
		return
	}
	if guess {
		rf.severity, rf.severityOverridden = finding.Warning, true
	}
	r.resolve(rf)
}

// shapeRefOf builds the ref of a reference found by its shape: in the
// namespace it names, else the object's; false when it has none (a
// cluster-scoped resource whose operator picks the namespace) or when its
// name is not expanded.
func (r *reporter) shapeRefOf(o *model.Object, path []string, m map[string]any, kind, name, rule, what string) (ref, bool) {
	ns := orDefault(str(m, "namespace"), o.Ref.Namespace)
	if str(m, "namespace") == "" && r.clusterScopedKind(o) {
		ns = ""
	}
	if ns == "" || skipName(name) || skipName(ns) {
		return ref{}, false
	}
	return ref{obj: o, path: path, kind: kind, namespace: ns, name: name, optional: boolAt(m, "optional"),
		rule: rule, what: o.Ref.Kind + " " + what}, true
}

// onlyKeys reports whether a map has no keys but the allowed ones.
func onlyKeys(m map[string]any, allowed ...string) bool {
	for k := range m {
		ok := false
		for _, a := range allowed {
			ok = ok || k == a
		}
		if !ok {
			return false
		}
	}
	return true
}

// checkCustomResourceRefs runs the checks of the custom resources whose
// references fluxlint knows (cert-manager, External Secrets, Prometheus
// Operator, Traefik), then the shape checks of any custom resource.
func (r *reporter) checkCustomResourceRefs(o *model.Object) {
	group := model.Group(o.Ref.APIVersion)
	switch {
	case group == certManagerGroup:
		r.checkCertManager(o)
	case strings.HasPrefix(group, "external-secrets.io"):
		r.checkExternalSecrets(o)
	case group == "monitoring.coreos.com":
		r.checkMonitor(o)
	case isTraefikGroup(group):
		r.checkTraefik(o)
	}
	if customResource(o) {
		r.checkCustomResource(o)
	}
}

// clusterScopedKind reports whether a custom resource's kind is (probably)
// cluster-scoped: the cluster's scope says so (ClusterIssuer,
// ClusterSecretStore, a CRD of scope Cluster), or its name starts with
// Cluster. kustomize writes a Kustomization's namespace into it, but the
// API server ignores it, and the namespace its references resolve in is
// the operator's to choose.
func (r *reporter) clusterScopedKind(o *model.Object) bool {
	rest, ok := strings.CutPrefix(o.Ref.Kind, "Cluster")
	return r.ix.kinds.ClusterScoped(o.Ref.APIVersion, o.Ref.Kind) || ok && rest != "" && rest[0] >= 'A' && rest[0] <= 'Z'
}
