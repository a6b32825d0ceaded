package xref

import (
	"slices"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// checkFlux checks the references of Flux objects.
func (r *reporter) checkFlux(o *model.Object) {
	switch o.Ref.Kind {
	case "Kustomization":
		r.checkKustomization(o)
	case "HelmRelease":
		r.checkHelmRelease(o)
	case "GitRepository", "HelmRepository", "OCIRepository", "Bucket", "HelmChart":
		r.secretRefs(o, "secretRef", "certSecretRef", "proxySecretRef")
		r.resolve(ref{obj: o, path: []string{"spec", "verify", "secretRef", "name"}, kind: "Secret", namespace: o.Ref.Namespace,
			name: str(o.Content, "spec", "verify", "secretRef", "name"), rule: RuleSecretMissing, what: "spec.verify.secretRef"})
		if o.Ref.Kind == "HelmChart" {
			r.sourceRef(o, []string{"spec", "sourceRef"}, "HelmRepository")
		}
		// OCIRepository pulls with the ServiceAccount's image pull secrets;
		// GitRepository and Bucket authenticate as it (workload identity).
		r.resolve(ref{obj: o, path: []string{"spec", "serviceAccountName"}, kind: "ServiceAccount", namespace: o.Ref.Namespace,
			name: str(o.Content, "spec", "serviceAccountName"), rule: RuleServiceAccountMissing, what: "spec.serviceAccountName"})
	case "Provider", "Receiver":
		r.secretRefs(o, "secretRef", "certSecretRef", "proxySecretRef")
		r.eventRefs(o, "resources")
	case "Alert":
		r.resolve(ref{obj: o, path: []string{"spec", "providerRef", "name"}, kind: "Provider", namespace: o.Ref.Namespace,
			name: str(o.Content, "spec", "providerRef", "name"), rule: RuleObjectMissing, what: "providerRef"})
		r.eventRefs(o, "eventSources")
	case "ImageRepository":
		r.secretRefs(o, "secretRef", "certSecretRef", "proxySecretRef")
		r.resolve(ref{obj: o, path: []string{"spec", "serviceAccountName"}, kind: "ServiceAccount", namespace: o.Ref.Namespace,
			name: str(o.Content, "spec", "serviceAccountName"), rule: RuleServiceAccountMissing, what: "spec.serviceAccountName"})
	case "ImagePolicy":
		r.resolve(ref{obj: o, path: []string{"spec", "imageRepositoryRef", "name"}, kind: "ImageRepository",
			namespace: orDefault(str(o.Content, "spec", "imageRepositoryRef", "namespace"), o.Ref.Namespace),
			name:      str(o.Content, "spec", "imageRepositoryRef", "name"), rule: RuleObjectMissing, what: "imageRepositoryRef"})
	case "ImageUpdateAutomation":
		r.sourceRef(o, []string{"spec", "sourceRef"}, "GitRepository")
	}
}

// checkKustomization checks a Flux Kustomization. Its sourceRef is checked
// while rendering (flux-source-missing), and substituteFrom too.
func (r *reporter) checkKustomization(o *model.Object) {
	r.dependsOn(o)
	r.resolve(ref{obj: o, path: []string{"spec", "decryption", "secretRef", "name"}, kind: "Secret", namespace: o.Ref.Namespace,
		name: str(o.Content, "spec", "decryption", "secretRef", "name"), rule: RuleSecretMissing, what: "decryption.secretRef",
		byHand: "a decryption key cannot be committed in the clear, so it is created by hand or by a bootstrap script (kubectl create secret ...); make sure it exists"})
	r.impersonated(o)
	if model.OutputTarget(o) != o.Target {
		// Health checks look at the cluster spec.kubeConfig names.
		return
	}
	unbuilt := r.cluster.HasGap(model.NotBuilt, o.Ref) || r.cluster.HasGap(model.PartlyBuilt, o.Ref)
	for i, hc := range listAt(o.Content, "spec", "healthChecks") {
		m := asMap(hc)
		if r.ix.madeAtRunTime(str(m, "apiVersion"), str(m, "kind")) {
			continue
		}
		ns := r.healthCheckNamespace(o, m)
		if _, st := r.ix.lookup(str(m, "kind"), ns, str(m, "name")); st != found && (unbuilt || !fluxObject(m) && r.ix.ownChartIn(o, ns)) {
			// Health checks watch what the Kustomization deploys: its
			// build is not known offline, or it deploys a release whose
			// chart is not rendered into that namespace, whose objects
			// (or those of the operator it installs) are not known;
			// charts are taken not to make Flux objects unless the
			// model knows they do (the flux-instance chart).
			continue
		}
		r.resolve(ref{obj: o, path: []string{"spec", "healthChecks", itoa(i), "name"}, kind: str(m, "kind"), apiVersion: str(m, "apiVersion"),
			versionPath: []string{"spec", "healthChecks", itoa(i), "apiVersion"}, namespace: ns, name: str(m, "name"), rule: RuleHealthCheckMissing, what: "healthChecks"})
	}
}

// healthCheckNamespace returns the namespace a health check of o names
// its object in. kustomize-controller looks the object up with the
// namespace as written, none when the field is empty: that finds an object
// of a cluster-scoped kind, known or not (a CRD the repository does not
// hold, such as Crossplane's Provider), that the cluster applies without a
// namespace. Otherwise an empty namespace is taken as o's own.
func (r *reporter) healthCheckNamespace(o *model.Object, hc map[string]any) string {
	if ns := str(hc, "namespace"); ns != "" {
		return ns
	}
	if r.ix.kinds.ClusterScoped(str(hc, "apiVersion"), str(hc, "kind")) {
		return ""
	}
	group, known := model.RefGroup(str(hc, "apiVersion"), str(hc, "kind"))
	if e, st := r.ix.lookupGroup(group, known, str(hc, "kind"), "", str(hc, "name"), nil); st == found && e.obj != nil && e.obj.Ref.Namespace == "" {
		return ""
	}
	return o.Ref.Namespace
}

// fluxObject reports whether a health check names a Flux or Flux
// Operator object.
func fluxObject(hc map[string]any) bool {
	return fluxKinds[str(hc, "kind")] || model.Group(str(hc, "apiVersion")) == model.GroupOperator
}

// checkHelmRelease checks a HelmRelease's chart source, dependencies and
// values.
func (r *reporter) checkHelmRelease(o *model.Object) {
	// The chart render reports a missing spec.chart.spec.sourceRef or
	// chartRef (flux-source-missing); it is not reported twice.
	r.dependsOn(o)
	r.impersonated(o)
	if r.cluster.HasGap(model.ValuesUnresolved, o.Ref) {
		return // the chart render already reports its valuesFrom
	}
	for i, v := range listAt(o.Content, "spec", "valuesFrom") {
		m := asMap(v)
		kind := orDefault(str(m, "kind"), "ConfigMap")
		base := []string{"spec", "valuesFrom", itoa(i)}
		rf := ref{obj: o, path: join(base, "name"), kind: kind, namespace: o.Ref.Namespace, name: str(m, "name"),
			optional: boolAt(m, "optional"), rule: ruleFor(kind), what: "valuesFrom"}
		keyPath := join(base, "valuesKey")
		if str(m, "valuesKey") == "" {
			keyPath = join(base, "name")
		}
		r.key(rf, r.resolve(rf), orDefault(str(m, "valuesKey"), "values.yaml"), keyPath)
	}
}

// sourceRef checks a Flux sourceRef or chartRef.
func (r *reporter) sourceRef(o *model.Object, path []string, defaultKind string) {
	m := mapAt(o.Content, path...)
	if m == nil {
		return
	}
	kind := orDefault(str(m, "kind"), defaultKind)
	ns := orDefault(str(m, "namespace"), o.Ref.Namespace)
	name := str(m, "name")
	if bootstrapSource(kind, ns, name) {
		return
	}
	r.resolve(ref{obj: o, path: join(path, "name"), kind: kind, namespace: ns, name: name, rule: RuleSourceMissing, what: path[len(path)-1]})
}

// bootstrapSource reports whether a source is the GitRepository that flux
// bootstrap makes.
func bootstrapSource(kind, namespace, name string) bool {
	return kind == "GitRepository" && namespace == "flux-system" && name == "flux-system"
}

// dependsOn checks that each dependency of a Kustomization or HelmRelease
// exists.
func (r *reporter) dependsOn(o *model.Object) {
	for i, d := range listAt(o.Content, "spec", "dependsOn") {
		m := asMap(d)
		r.resolve(ref{obj: o, path: []string{"spec", "dependsOn", itoa(i), "name"}, kind: o.Ref.Kind,
			namespace: orDefault(str(m, "namespace"), o.Ref.Namespace), name: str(m, "name"), rule: RuleDependencyMissing, what: "dependsOn"})
	}
}

// impersonated checks the ServiceAccount a Kustomization or HelmRelease
// impersonates: in the cluster its spec.kubeConfig reaches, when it has
// one. The kubeConfig Secret itself is not looked up: cluster provisioning
// (Cluster API's <cluster>-kubeconfig) or a person makes it, outside the
// repository.
func (r *reporter) impersonated(o *model.Object) {
	rf := ref{obj: o, path: []string{"spec", "serviceAccountName"}, kind: "ServiceAccount", namespace: o.Ref.Namespace,
		name: str(o.Content, "spec", "serviceAccountName"), rule: RuleServiceAccountMissing, what: "spec.serviceAccountName"}
	if target := model.OutputTarget(o); target != o.Target {
		rf.remote = target
	}
	r.resolve(rf)
}

// secretRefs checks secretRef-like fields of spec (each a {name} in the
// object's namespace).
func (r *reporter) secretRefs(o *model.Object, fields ...string) {
	for _, f := range fields {
		path := []string{"spec", f, "name"}
		if f == "kubeConfig" {
			path = []string{"spec", f, "secretRef", "name"}
		}
		r.resolve(ref{obj: o, path: path, kind: "Secret", namespace: o.Ref.Namespace, name: str(o.Content, path...),
			rule: RuleSecretMissing, what: path[1], byHand: credentialsByHand})
	}
}

// credentialsByHand says why a Flux object's credentials (a source's
// token or key, a Provider's webhook address) are often not in the
// repository: they are not committed in the clear.
const credentialsByHand = "credentials are not committed in the clear, so they are often created by hand or by a script (flux create secret ...); make sure it exists"

// eventRefs checks the object references of an Alert's eventSources or a
// Receiver's resources; "*" and label selectors match any. The sync source
// that bootstrap makes (GitRepository flux-system), and the FluxInstance
// flux of a cluster whose Flux may be installed from outside by Flux
// Operator, are taken to exist, as a Kustomization's sourceRef takes the
// former.
func (r *reporter) eventRefs(o *model.Object, field string) {
	for i, s := range listAt(o.Content, "spec", field) {
		m := asMap(s)
		name, kind := str(m, "name"), str(m, "kind")
		ns := orDefault(str(m, "namespace"), o.Ref.Namespace)
		if name == "*" || name == "" || value(m, "matchLabels") != nil || bootstrapSource(kind, ns, name) || r.outsideInstance(kind, name) {
			continue
		}
		r.resolve(ref{obj: o, path: []string{"spec", field, itoa(i), "name"}, kind: kind,
			namespace: ns, name: name, rule: RuleObjectMissing,
			severity: finding.Warning, severityOverridden: true, what: field})
	}
}

// outsideInstance reports whether a reference names the FluxInstance that
// may install the cluster's Flux from outside the repository: Flux
// Operator's one instance is named flux, and the cluster renders none.
func (r *reporter) outsideInstance(kind, name string) bool {
	if kind != "FluxInstance" || name != "flux" || r.cluster == nil || !r.cluster.OperatorMayInstall() {
		return false
	}
	return !slices.ContainsFunc(r.cluster.Objects, func(o *model.Object) bool { return model.IsKind(o, model.GroupOperator, "FluxInstance") })
}

// reported reports whether the render already made a finding of a rule
// about an object.

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// isFluxKind reports whether an object is a Flux Kustomization or
// HelmRelease, the kinds with dependsOn.
func isFluxKind(o *model.Object) bool {
	return model.IsKind(o, model.GroupKustomize, "Kustomization") || model.IsKind(o, model.GroupHelm, "HelmRelease")
}
