package monorepo

// fluxlintConfig turns off the one rule that the generated Secrets break:
// a real repository would encrypt them with SOPS, which flate and kustomize
// build would then need keys for.
const fluxlintConfig = `# The benchmark's Secrets hold made-up values in plain text.
rules:
  policy-secret-plain-text: {severity: off}
`

// The files of a cluster. {{KEY}} is filled in by fill; ${var} is left for
// Flux's postBuild substitution.

const gotkSync = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m0s
  ref:
    branch: main
  url: https://git.example.com/bench/fleet.git
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m0s
  path: ./clusters/{{CLUSTER}}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`

const fluxSystemKustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - namespace.yaml
  - gotk-sync.yaml
`

const fluxSystemNamespace = `apiVersion: v1
kind: Namespace
metadata:
  name: flux-system
`

const clusterVars = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-vars
  namespace: flux-system
data:
  cluster_name: {{CLUSTER}}
  cluster_domain: {{CLUSTER}}.example.com
  cluster_index: "{{INDEX}}"
---
apiVersion: v1
kind: Secret
metadata:
  name: cluster-secrets
  namespace: flux-system
type: Opaque
stringData:
  db_password: bench-{{CLUSTER}}-password
`

const appKustomization = `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: {{APP}}
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/overlays/{{CLUSTER}}/{{APP}}
  prune: true
  wait: true
  timeout: 5m
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      app_name: {{APP}}
      app_tier: {{TIER}}
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
      - kind: Secret
        name: cluster-secrets
`

const overlayKustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../../base/{{APP}}
labels:
  - pairs:
      bench.example.com/cluster: {{CLUSTER}}
patches:
  - path: deployment-patch.yaml
  - target:
      kind: HelmRelease
      name: {{APP}}
    patch: |
      - op: replace
        path: /spec/values/replicaCount
        value: {{REPLICAS}}
`

const overlayDeploymentPatch = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{APP}}
  namespace: {{APP}}
spec:
  template:
    spec:
      containers:
        - name: app
          resources:
            requests:
              cpu: {{CPU}}m
`

// The files of an app's base.

const baseKustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - namespace.yaml
  - configmap.yaml
  - secret.yaml
  - deployment.yaml
  - service.yaml
  - helmrelease.yaml
`

const baseNamespace = `apiVersion: v1
kind: Namespace
metadata:
  name: {{APP}}
  labels:
    bench.example.com/tier: {{TIER}}
`

const baseConfigMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{APP}}-config
  namespace: {{APP}}
data:
  CLUSTER: ${cluster_name}
  PUBLIC_URL: https://${app_name}.${cluster_domain}
  TIER: ${app_tier}
  LOG_LEVEL: ${log_level:=info}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{APP}}-values
  namespace: {{APP}}
data:
  values.yaml: |
    ingress:
      host: ${app_name}.${cluster_domain}
    podLabels:
      bench.example.com/cluster: ${cluster_name}
`

// baseSecret's values are Flux substitution variables, not credentials.
//
//nolint:gosec // G101: see above
const baseSecret = `apiVersion: v1
kind: Secret
metadata:
  name: {{APP}}-db
  namespace: {{APP}}
type: Opaque
stringData:
  password: ${db_password}
---
apiVersion: v1
kind: Secret
metadata:
  name: {{APP}}-helm-values
  namespace: {{APP}}
type: Opaque
stringData:
  values.yaml: |
    auth:
      password: ${db_password}
`

const baseDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{APP}}
  namespace: {{APP}}
  labels:
    app.kubernetes.io/name: {{APP}}
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: {{APP}}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{APP}}
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
      containers:
        - name: app
          image: ghcr.io/example/{{APP}}:1.{{INDEX}}.0
          ports:
            - name: http
              containerPort: {{PORT}}
          envFrom:
            - configMapRef:
                name: {{APP}}-config
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {{APP}}-db
                  key: password
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
          resources:
            requests:
              cpu: 100m
              memory: 64Mi
            limits:
              memory: 128Mi
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop: [ALL]
`

const baseService = `apiVersion: v1
kind: Service
metadata:
  name: {{APP}}
  namespace: {{APP}}
spec:
  selector:
    app.kubernetes.io/name: {{APP}}
  ports:
    - name: http
      port: 80
      targetPort: http
`

const baseHelmRelease = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: {{APP}}
  namespace: {{APP}}
spec:
  interval: 30m
  chart:
    spec:
      chart: ./charts/{{APP}}
      version: 0.1.{{INDEX}}
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  values:
    replicaCount: 1
    tier: ${app_tier}
    env:
      CLUSTER: ${cluster_name}
  valuesFrom:
    - kind: ConfigMap
      name: {{APP}}-values
      valuesKey: values.yaml
    - kind: Secret
      name: {{APP}}-helm-values
      valuesKey: values.yaml
`

// The files of an app's chart.

const chartYAML = `apiVersion: v2
name: {{APP}}
description: Web front of {{APP}} for the fluxlint benchmark.
type: application
version: 0.1.{{INDEX}}
appVersion: "1.{{INDEX}}.0"
`

const chartValues = `replicaCount: 1
image:
  repository: ghcr.io/example/{{APP}}-web
  tag: "1.{{INDEX}}.0"
port: {{PORT}}
tier: {{TIER}}
env: {}
podLabels: {}
ingress:
  host: ""
auth:
  password: ""
resources:
  requests:
    cpu: 50m
    memory: 32Mi
  limits:
    memory: 64Mi
`

const chartHelpers = `{{- define "app.fullname" -}}
{{ .Release.Name }}-web
{{- end }}

{{- define "app.labels" -}}
app.kubernetes.io/name: {{ include "app.fullname" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}

{{- define "app.selector" -}}
app.kubernetes.io/name: {{ include "app.fullname" . }}
{{- end }}
`

const chartDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      {{- include "app.selector" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "app.selector" . | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          ports:
            - name: http
              containerPort: {{ .Values.port }}
          envFrom:
            - configMapRef:
                name: {{ include "app.fullname" . }}
          env:
            - name: TIER
              value: {{ .Values.tier | quote }}
            {{- range $k, $v := .Values.env }}
            - name: {{ $k }}
              value: {{ $v | quote }}
            {{- end }}
          readinessProbe:
            httpGet:
              path: /ready
              port: http
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop: [ALL]
`

const chartService = `apiVersion: v1
kind: Service
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
spec:
  selector:
    {{- include "app.selector" . | nindent 4 }}
  ports:
    - name: http
      port: 80
      targetPort: http
`

const chartConfigMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "app.fullname" . }}
  labels:
    {{- include "app.labels" . | nindent 4 }}
data:
  PUBLIC_HOST: {{ .Values.ingress.host | quote }}
  HAS_PASSWORD: {{ ne .Values.auth.password "" | quote }}
`
