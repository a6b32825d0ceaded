package schema

import (
	"context"
	"testing"
)

// mixedObjects are one of each kind tools/genobjects writes, besides the
// Deployment of helpers_test.go.
var mixedObjects = []string{`
apiVersion: v1
kind: Service
metadata: {name: app, namespace: team-1}
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: http, protocol: TCP}
`, `
apiVersion: v1
kind: ConfigMap
metadata: {name: config, namespace: team-1}
data: {LOG_LEVEL: info}
`, `
apiVersion: v1
kind: ServiceAccount
metadata: {name: app, namespace: team-1}
automountServiceAccountToken: false
`, `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: app, namespace: team-1}
spec:
  ingressClassName: nginx
  rules:
    - host: app.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: app, port: {name: http}}}
`, `
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: tenant, namespace: team-1}
spec:
  interval: 10m
  path: ./tenant
  prune: true
  sourceRef: {kind: GitRepository, name: tenants}
`, `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: chart, namespace: team-1}
spec:
  interval: 30m
  chart:
    spec:
      chart: podinfo
      version: "6.x"
      sourceRef: {kind: HelmRepository, name: charts}
  values: {replicaCount: 2}
`, `
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: tenants, namespace: team-1}
spec:
  interval: 5m
  url: https://git.example.com/tenants.git
  ref: {branch: main}
`, `
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: team-1}
spec:
  interval: 1h
  url: https://charts.example.com
`}

// BenchmarkValidateMixed validates Deployments, Services, ConfigMaps,
// ServiceAccounts, Ingresses and Flux objects (with their CEL rules) in
// turn, as fluxlint check does, and reports objects per second.
func BenchmarkValidateMixed(b *testing.B) {
	v := validator(b, "")
	objs := []map[string]any{decode(b, deployment)}
	for _, doc := range mixedObjects {
		objs = append(objs, decode(b, doc))
	}
	ctx := context.Background()
	for _, obj := range objs {
		if res := v.ValidateIn(ctx, obj, nil, ValidateOptions{}); res.Status != Valid {
			b.Fatalf("%v: status %v%s", obj["kind"], res.Status, formatViolations(res.Violations))
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		v.ValidateIn(ctx, objs[n%len(objs)], nil, ValidateOptions{})
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "objects/s")
}
