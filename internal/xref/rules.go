package xref

import "github.com/fluxlint/fluxlint/internal/finding"

// Rule IDs of the reference findings.
const (
	RuleConfigMapMissing      = "ref-configmap-missing"
	RuleSecretMissing         = "ref-secret-missing"
	RuleKeyMissing            = "ref-key-missing"
	RuleServiceAccountMissing = "ref-service-account-missing"
	RulePVCMissing            = "ref-pvc-missing"
	RuleSourceMissing         = "ref-source-missing"
	RuleDependencyMissing     = "ref-dependency-missing"
	RuleDependencyCycle       = "ref-dependency-cycle"
	RuleHealthCheckMissing    = "ref-health-check-missing"
	RuleServiceMissing        = "ref-service-missing"
	RulePortMissing           = "ref-port-missing"
	RuleSelectorNoMatch       = "ref-selector-no-match"
	RuleClassMissing          = "ref-class-missing"
	RuleNamespaceMissing      = "ref-namespace-missing"
	RuleObjectMissing         = "ref-object-missing"
	RuleListenerMissing       = "ref-listener-missing"
	RuleRouteNotAllowed       = "ref-route-not-allowed"
	RuleReferenceGrantMissing = "ref-reference-grant-missing"
	RuleIssuerMissing         = "ref-issuer-missing"
	RuleSecretStoreMissing    = "ref-secret-store-missing"
	RuleMonitorNoMatch        = "ref-monitor-selector-no-match"
	RuleMiddlewareMissing     = "ref-middleware-missing"
)

// Rules returns the reference rules.
func Rules() []finding.Rule {
	return []finding.Rule{
		{ID: RuleConfigMapMissing, Severity: finding.Error,
			Title: "A reference names a ConfigMap that the cluster does not have",
			Why:   "A pod that needs it does not start (CreateContainerConfigError, or a volume that never mounts); a HelmRelease's valuesFrom fails the release.",
			Fix:   "Create the ConfigMap in the namespace the object lands in, fix the name, set optional: true, or declare it under externalObjects in .fluxlint.yaml.",
			Bad:   "envFrom:\n  - configMapRef:\n      name: app-confg",
			Good:  "envFrom:\n  - configMapRef:\n      name: app-config"},
		{ID: RuleSecretMissing, Severity: finding.Error,
			Title: "A reference names a Secret that the cluster does not have",
			Why:   "The pod, source or release that needs it fails; Flux reports it only after the change is merged.",
			Fix:   "Create the Secret (SOPS, SealedSecret or ExternalSecret count), fix the name, set optional: true, or declare a Secret made by hand under externalObjects in .fluxlint.yaml.",
			Bad:   "volumes:\n  - name: tls\n    secret:\n      secretName: web-tsl",
			Good:  "volumes:\n  - name: tls\n    secret:\n      secretName: web-tls"},
		{ID: RuleKeyMissing, Severity: finding.Error,
			Title: "A reference names a key that its ConfigMap or Secret does not have",
			Why:   "Kubernetes refuses to start the container (couldn't find key), or the volume item is missing.",
			Fix:   "Add the key to the ConfigMap or Secret, fix the key, or set optional: true.",
			Bad:   "configMapKeyRef:\n  name: app-config\n  key: LOG_LEVLE",
			Good:  "configMapKeyRef:\n  name: app-config\n  key: LOG_LEVEL"},
		{ID: RuleServiceAccountMissing, Severity: finding.Error,
			Title: "A reference names a ServiceAccount that the cluster does not have",
			Why:   "The controller cannot create the pods (serviceaccount not found); a binding grants nothing.",
			Fix:   "Create the ServiceAccount in that namespace or fix the name.",
			Bad:   "serviceAccountName: web-sa", Good: "serviceAccountName: web"},
		{ID: RulePVCMissing, Severity: finding.Error,
			Title: "A volume names a PersistentVolumeClaim that the cluster does not have",
			Why:   "The pod stays Pending.",
			Fix:   "Create the PersistentVolumeClaim or fix claimName.",
			Bad:   "persistentVolumeClaim:\n  claimName: dta", Good: "persistentVolumeClaim:\n  claimName: data"},
		{ID: RuleSourceMissing, Severity: finding.Error,
			Title: "A HelmChart's or ImageUpdateAutomation's sourceRef names no source of the cluster",
			Why:   "The HelmChart or ImageUpdateAutomation never becomes ready. (Kustomizations and HelmReleases get flux-source-missing.)",
			Fix:   "Create the GitRepository, HelmRepository or Bucket, or fix the reference's kind, name and namespace.",
			Bad:   "sourceRef:\n  kind: GitRepository\n  name: fleet-infra-repo",
			Good:  "sourceRef:\n  kind: GitRepository\n  name: fleet-infra"},
		{ID: RuleDependencyMissing, Severity: finding.Error,
			Title: "dependsOn names a Kustomization or HelmRelease that the cluster does not have",
			Why:   "Flux waits for the dependency forever: the object is never reconciled.",
			Fix:   "Fix the dependency's name and namespace (it defaults to the object's own namespace), or remove it.",
			Bad:   "dependsOn:\n  - name: infra-controller", Good: "dependsOn:\n  - name: infra-controllers"},
		{ID: RuleDependencyCycle, Severity: finding.Error,
			Title: "dependsOn forms a cycle",
			Why:   "Every member of the cycle waits for another: none is ever reconciled.",
			Fix:   "Remove one dependsOn of the cycle named in the message.",
			Bad:   "# apps dependsOn infra, infra dependsOn apps", Good: "# apps dependsOn infra"},
		{ID: RuleHealthCheckMissing, Severity: finding.Error,
			Title: "A Kustomization's healthChecks name an object that the cluster does not have",
			Why:   "The health check never passes: the Kustomization times out and its dependents never run. A health check of a Kustomization whose build is not known offline (another repository), or of a workload in a namespace where it deploys a chart that is not rendered, is not reported: it watches what that build or chart (or the operator it installs) makes. An apiVersion that is wrong for the kind is reported at the apiVersion.",
			Fix:   "Fix the health check's kind, name and namespace, or remove it.",
			Bad:   "healthChecks:\n  - kind: Deployment\n    name: podinfo-web\n    namespace: apps",
			Good:  "healthChecks:\n  - kind: Deployment\n    name: podinfo\n    namespace: apps"},
		{ID: RuleServiceMissing, Severity: finding.Error,
			Title: "A reference names a Service that the cluster does not have",
			Why:   "The Ingress or route answers 503; a StatefulSet's pods get no stable DNS names.",
			Fix:   "Create the Service in that namespace or fix the name.",
			Bad:   "backend:\n  service:\n    name: web-svc", Good: "backend:\n  service:\n    name: web"},
		{ID: RulePortMissing, Severity: finding.Error,
			Title: "A reference names a port that its Service or pods do not have",
			Why:   "Traffic goes nowhere: the Ingress or route has no endpoint, the Service has no target port.",
			Fix:   "Use a port number or name that the Service (or, for targetPort, a container of the selected pods) declares.",
			Bad:   "port:\n  name: htttp", Good: "port:\n  name: http"},
		{ID: RuleSelectorNoMatch, Severity: finding.Warning,
			Title: "A selector matches no pod template of its namespace",
			Why:   "A Service without endpoints, a PodDisruptionBudget or NetworkPolicy that protects nothing: usually a label typo.",
			Fix:   "Make the selector's labels equal to the pod template's labels.",
			Bad:   "selector:\n  app: web-server  # pods are app: web", Good: "selector:\n  app: web"},
		{ID: RuleClassMissing, Severity: finding.Warning,
			Title: "ingressClassName or gatewayClassName names a class that the cluster does not have",
			Why:   "No controller picks the Ingress or Gateway up.",
			Fix:   "Use the name of an IngressClass or GatewayClass of the cluster, or declare it under externalObjects in .fluxlint.yaml.",
			Bad:   "ingressClassName: ngnix", Good: "ingressClassName: nginx"},
		{ID: RuleNamespaceMissing, Severity: finding.Error,
			Title: "An object lands in a namespace that nothing creates",
			Why:   "The apply fails (namespace not found) and with it the whole Kustomization.",
			Fix:   "Add the Namespace to the repository, fix the namespace, or declare it under externalObjects in .fluxlint.yaml.",
			Bad:   "metadata:\n  namespace: monitorng", Good: "metadata:\n  namespace: monitoring"},
		{ID: RuleObjectMissing, Severity: finding.Error,
			Title: "A reference names an object that the cluster does not have",
			Why:   "HPA scale targets, role bindings, route parents, alert providers and image policies that name nothing do nothing.",
			Fix:   "Create the object or fix the reference's kind, name and namespace.",
			Bad:   "scaleTargetRef:\n  kind: Deployment\n  name: wbe", Good: "scaleTargetRef:\n  kind: Deployment\n  name: web"},
		{ID: RuleListenerMissing, Severity: finding.Error,
			Title: "A Gateway API route's parentRef names a listener (sectionName or port) that its Gateway does not have",
			Why:   "The route attaches to no listener: the Gateway reports it NoMatchingParent and serves none of its rules.",
			Fix:   "Use the name (or port) of one of the Gateway's spec.listeners, or drop sectionName to attach to every listener that allows the route.",
			Bad:   "parentRefs:\n  - name: public\n    sectionName: htps", Good: "parentRefs:\n  - name: public\n    sectionName: https"},
		{ID: RuleRouteNotAllowed, Severity: finding.Error,
			Title: "A Gateway's listeners do not allow a route from its namespace or of its kind",
			Why:   "allowedRoutes.namespaces defaults to Same: a route in another namespace is NotAllowedByListeners and serves nothing; allowedRoutes.kinds limits the route kinds.",
			Fix:   "Set the listener's allowedRoutes.namespaces.from to All, or to Selector with a selector that matches the route's namespace, or move the route to the Gateway's namespace.",
			Bad:   "# Gateway in namespace gateways, listener without allowedRoutes\nparentRefs:\n  - name: public\n    namespace: gateways",
			Good:  "allowedRoutes:\n  namespaces:\n    from: All"},
		{ID: RuleReferenceGrantMissing, Severity: finding.Error,
			Title: "A reference to another namespace has no ReferenceGrant that allows it",
			Why:   "Gateway API refuses references across namespaces (a route's backendRef to a Service, a Gateway's certificateRef to a Secret) unless a ReferenceGrant in the target's namespace allows them: the route reports RefNotPermitted and answers 500.",
			Fix:   "Add a ReferenceGrant in the referenced object's namespace whose from names the referring kind and namespace and whose to names the referenced kind (and name).",
			Bad:   "backendRefs:\n  - name: web\n    namespace: apps  # no ReferenceGrant in apps",
			Good:  "kind: ReferenceGrant\nmetadata:\n  namespace: apps\nspec:\n  from:\n    - group: gateway.networking.k8s.io\n      kind: HTTPRoute\n      namespace: gateways\n  to:\n    - group: \"\"\n      kind: Service"},
		{ID: RuleIssuerMissing, Severity: finding.Error,
			Title: "A Certificate's issuerRef or a cert-manager annotation names an Issuer or ClusterIssuer that the cluster does not have",
			Why:   "cert-manager never issues the certificate: the TLS Secret is never made and whatever serves it has no certificate.",
			Fix:   "Fix the issuer's name, or its kind (Issuer is looked up in the Certificate's namespace, ClusterIssuer cluster-wide), or create it.",
			Bad:   "issuerRef:\n  kind: ClusterIssuer\n  name: letsencrypt-prd", Good: "issuerRef:\n  kind: ClusterIssuer\n  name: letsencrypt-prod"},
		{ID: RuleSecretStoreMissing, Severity: finding.Error,
			Title: "An ExternalSecret or PushSecret names a SecretStore or ClusterSecretStore that the cluster does not have",
			Why:   "External Secrets Operator cannot sync it (SecretStore not found): the Secret is never made or updated.",
			Fix:   "Fix the store's name, or its kind (SecretStore is looked up in the object's namespace, ClusterSecretStore cluster-wide), or create it.",
			Bad:   "secretStoreRef:\n  kind: ClusterSecretStore\n  name: onepasword", Good: "secretStoreRef:\n  kind: ClusterSecretStore\n  name: onepassword"},
		{ID: RuleMonitorNoMatch, Severity: finding.Warning,
			Title: "A ServiceMonitor or PodMonitor selects no Service or pod",
			Why:   "Prometheus gets no target from it: the metrics silently stop, usually because of a label typo or a missing namespaceSelector.",
			Fix:   "Make the selector's labels equal to the Service's (ServiceMonitor) or the pod template's (PodMonitor) labels, and set namespaceSelector.matchNames when they are in another namespace.",
			Bad:   "selector:\n  matchLabels:\n    app: web-server  # the Service is app: web", Good: "selector:\n  matchLabels:\n    app: web"},
		{ID: RuleMiddlewareMissing, Severity: finding.Error,
			Title: "A Traefik route or router.middlewares annotation names a Middleware that the cluster does not have",
			Why:   "Traefik refuses the router (middleware does not exist): the route answers 404.",
			Fix:   "Fix the Middleware's name and namespace (the annotation form is <namespace>-<name>@kubernetescrd), or create it.",
			Bad:   "middlewares:\n  - name: redirect-htps", Good: "middlewares:\n  - name: redirect-https"},
	}
}

// severities maps each rule to its default severity.
func severities() map[string]finding.Severity {
	m := map[string]finding.Severity{}
	for _, r := range Rules() {
		m[r.ID] = r.Severity
	}
	return m
}
