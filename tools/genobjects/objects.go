package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// perFile is the number of objects in each generated file.
const perFile = 100

// kinds make the objects in turn: object i is kinds[i%len(kinds)](g) with
// g = i/len(kinds), so the objects of one group refer to each other (the
// Deployments to the ConfigMap and ServiceAccount, the Service and Ingress
// to the Deployment, the Flux objects to their sources).
var kinds = []func(g int) string{
	deployment, service, configMap, worker, serviceAccount, ingress,
	kustomization, helmRelease, gitRepository, helmRepository,
}

// writeRepo writes n objects under out/repo/apps, perFile to a folder
// apps/NNNN, and a cluster with one Flux Kustomization per folder (one
// Kustomization of all the objects would measure kustomize, whose build
// time grows with the square of the objects of one Kustomization).
func writeRepo(out string, n int) error {
	cluster := filepath.Join(out, "repo", "clusters", "bench")
	if err := os.MkdirAll(cluster, 0o750); err != nil {
		return err
	}
	var ks strings.Builder
	for start := 0; start < n; start += perFile {
		part := fmt.Sprintf("%04d", start/perFile)
		dir := filepath.Join(out, "repo", "apps", part)
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
		var b strings.Builder
		for i := start; i < n && i < start+perFile; i++ {
			b.WriteString("---\n")
			b.WriteString(kinds[i%len(kinds)](i / len(kinds)))
		}
		if err := os.WriteFile(filepath.Join(dir, "objects.yaml"), []byte(b.String()), 0o600); err != nil {
			return err
		}
		fmt.Fprintf(&ks, `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps-%[1]s
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/%[1]s
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`, part)
	}
	return os.WriteFile(filepath.Join(cluster, "apps.yaml"), []byte(ks.String()), 0o600)
}

// ns spreads the objects over ten namespaces.
func ns(i int) string { return fmt.Sprintf("team-%d", i%10) }

func deployment(g int) string { return deploymentNamed("app", g) }

func worker(g int) string { return deploymentNamed("worker", g) }

func deploymentNamed(name string, i int) string {
	return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[8]s-%[1]d
  namespace: %[2]s
  labels:
    app.kubernetes.io/name: %[8]s-%[1]d
    app.kubernetes.io/part-of: bench
  annotations:
    bench/index: "%[1]d"
spec:
  replicas: %[3]d
  revisionHistoryLimit: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: %[8]s-%[1]d
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: %[8]s-%[1]d
    spec:
      serviceAccountName: app-%[1]d
      securityContext:
        runAsNonRoot: true
        runAsUser: 1000
      containers:
        - name: app
          image: ghcr.io/example/app:1.%[4]d.0
          imagePullPolicy: IfNotPresent
          args: ["--port=8080", "--level=info"]
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
            - name: INDEX
              value: "%[1]d"
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
          envFrom:
            - configMapRef:
                name: config-%[1]d
          resources:
            requests:
              cpu: %[5]dm
              memory: %[6]dMi
            limits:
              memory: %[7]dMi
          readinessProbe:
            httpGet:
              path: /readyz
              port: http
            periodSeconds: 10
          livenessProbe:
            tcpSocket:
              port: 8080
            initialDelaySeconds: 5
          volumeMounts:
            - name: data
              mountPath: /data
      volumes:
        - name: data
          emptyDir:
            sizeLimit: 1Gi
`, i, ns(i), 1+i%5, i%30, 50+i%200, 64+i%256, 128+i%512, name)
}

func service(i int) string {
	return fmt.Sprintf(`apiVersion: v1
kind: Service
metadata:
  name: app-%[1]d
  namespace: %[2]s
  labels:
    app.kubernetes.io/name: app-%[1]d
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: app-%[1]d
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
    - name: metrics
      port: %[3]d
      targetPort: 9090
`, i, ns(i), 9000+i%1000)
}

func configMap(i int) string {
	return fmt.Sprintf(`apiVersion: v1
kind: ConfigMap
metadata:
  name: config-%[1]d
  namespace: %[2]s
data:
  LOG_LEVEL: info
  FEATURE_%[1]d: "true"
  settings.json: |
    {"index": %[1]d, "replicas": %[3]d}
`, i, ns(i), 1+i%5)
}

func serviceAccount(i int) string {
	return fmt.Sprintf(`apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-%[1]d
  namespace: %[2]s
automountServiceAccountToken: false
`, i, ns(i))
}

func ingress(i int) string {
	return fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app-%[1]d
  namespace: %[2]s
  annotations:
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
  tls:
    - hosts: [app-%[1]d.example.com]
      secretName: app-%[1]d-tls
  rules:
    - host: app-%[1]d.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: app-%[1]d
                port:
                  name: http
`, i, ns(i))
}

func kustomization(i int) string {
	return fmt.Sprintf(`apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenant-%[1]d
  namespace: %[2]s
spec:
  interval: %[3]dm
  retryInterval: 1m
  timeout: 5m
  path: ./tenants/tenant-%[1]d
  prune: true
  wait: true
  targetNamespace: %[2]s
  sourceRef:
    kind: GitRepository
    name: tenants-%[1]d
  postBuild:
    substitute:
      TENANT: tenant-%[1]d
`, i, ns(i), 5+i%55)
}

func helmRelease(i int) string {
	return fmt.Sprintf(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: chart-%[1]d
  namespace: %[2]s
spec:
  interval: 30m
  releaseName: chart-%[1]d
  chart:
    spec:
      chart: podinfo
      version: "6.%[3]d.x"
      sourceRef:
        kind: HelmRepository
        name: charts-%[1]d
  install:
    remediation:
      retries: 3
  upgrade:
    cleanupOnFail: true
  values:
    replicaCount: %[4]d
    ingress:
      enabled: false
`, i, ns(i), i%10, 1+i%3)
}

func gitRepository(i int) string {
	return fmt.Sprintf(`apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: tenants-%[1]d
  namespace: %[2]s
spec:
  interval: 5m
  url: https://git.example.com/tenants/tenant-%[1]d.git
  ref:
    branch: main
  ignore: |
    /*
    !/deploy
`, i, ns(i))
}

func helmRepository(i int) string {
	return fmt.Sprintf(`apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts-%[1]d
  namespace: %[2]s
spec:
  interval: 1h
  url: https://charts.example.com/%[1]d
`, i, ns(i))
}
