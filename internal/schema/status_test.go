package schema

import (
	"slices"
	"testing"
)

const kustomization = `
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      cluster: prod
`

const helmRelease = `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: apps
spec:
  interval: 5m
  chart:
    spec:
      chart: podinfo
      version: "6.x"
      sourceRef:
        kind: HelmRepository
        name: podinfo
  values:
    replicaCount: 2
    anything:
      goes: [1, "two"]
  install:
    remediation:
      retries: 3
`

func TestValidObjects(t *testing.T) {
	tests := []struct {
		name string
		doc  string
	}{
		{name: "service with named and numbered target ports", doc: `
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: http}
    - {name: alt, port: 8080, targetPort: 8080, protocol: TCP}
`},
		{name: "configmap with null data", doc: `
apiVersion: v1
kind: ConfigMap
metadata: {name: c, creationTimestamp: null, annotations: null}
data: null
`},
		{name: "namespace without name", doc: `
apiVersion: v1
kind: Namespace
`},
		{name: "pod with quantities as strings and numbers", doc: `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: busybox
      resources:
        requests: {cpu: 0.25, memory: 128974848, ephemeral-storage: 1e3}
        limits: {cpu: "2", memory: 1Gi}
`},
		{name: "hpa autoscaling/v2", doc: `
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: h}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 3
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
`},
		{name: "CRD with free-form schema", doc: `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
          properties:
            spec: {type: object, default: {}}
`},
		{name: "flux kustomization", doc: kustomization},
		{name: "flux helmrelease with free-form values", doc: helmRelease},
		{name: "flux gitrepository", doc: `
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec:
  interval: 1m
  url: https://github.com/example/fleet
  ref: {branch: main}
`},
		{name: "flux artifactgenerator", doc: `
apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata: {name: gen, namespace: flux-system}
spec:
  sources:
    - alias: repo
      kind: GitRepository
      name: flux-system
  artifacts:
    - name: app
      copy:
        - from: "@repo/apps/**"
          to: "@artifact/"
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := validator(t, "").Validate(decode(t, tt.doc))
			if res.Status != Valid {
				t.Fatalf("status = %v, violations:%s", res.Status, formatViolations(res.Violations))
			}
		})
	}
}

func TestFluxViolations(t *testing.T) {
	tests := []struct {
		name string
		obj  map[string]any
		want []Violation
	}{
		{
			name: "unknown helmrelease spec field",
			obj:  set(t, helmRelease, []string{"spec", "valuesFile"}, "values.yaml"),
			want: []Violation{{Path: []string{"spec", "valuesFile"}, Rule: RuleUnknownField, Message: `unknown field "valuesFile"`}},
		},
		{
			name: "source kind not in enum",
			obj:  set(t, kustomization, []string{"spec", "sourceRef", "kind"}, "HelmRepository"),
			want: []Violation{{Path: []string{"spec", "sourceRef", "kind"}, Rule: RuleInvalid,
				Message: `value "HelmRepository" must be one of: "OCIRepository", "GitRepository", "Bucket", "ExternalArtifact"`}},
		},
		{
			name: "interval not a duration",
			obj:  set(t, kustomization, []string{"spec", "interval"}, "ten minutes"),
			want: []Violation{{Path: []string{"spec", "interval"}, Rule: RuleInvalid,
				Message: `value "ten minutes" must match pattern "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$"`}},
		},
		{
			name: "missing prune",
			obj:  set(t, kustomization, []string{"spec", "prune"}, nil),
			want: []Violation{{Path: []string{"spec"}, Rule: RuleRequired, Message: `missing required field "prune"`}},
		},
		{
			name: "unknown top-level field",
			obj:  set(t, kustomization, []string{"specs"}, map[string]any{}),
			want: []Violation{{Path: []string{"specs"}, Rule: RuleUnknownField, Message: `unknown field "specs"`}},
		},
		{
			name: "unknown metadata field",
			obj:  set(t, kustomization, []string{"metadata", "namespaces"}, "x"),
			want: []Violation{{Path: []string{"metadata", "namespaces"}, Rule: RuleUnknownField, Message: `unknown field "namespaces"`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := validator(t, "").Validate(tt.obj)
			if res.Status != Invalid {
				t.Fatalf("status = %v, want invalid", res.Status)
			}
			if !slices.EqualFunc(res.Violations, tt.want, equalViolation) {
				t.Fatalf("violations:%s\nwant:%s", formatViolations(res.Violations), formatViolations(tt.want))
			}
		})
	}
}

func TestStatus(t *testing.T) {
	tests := []struct {
		name       string
		version    string
		obj        map[string]any
		wantStatus Status
		wantServed []string
	}{
		{name: "third-party CRD", obj: map[string]any{"apiVersion": "traefik.io/v1alpha1", "kind": "IngressRoute", "spec": map[string]any{}}, wantStatus: NoSchema},
		{name: "List", obj: map[string]any{"apiVersion": "v1", "kind": "List", "items": []any{}}, wantStatus: NoSchema},
		{name: "no apiVersion", obj: map[string]any{"kind": "ConfigMap"}, wantStatus: NoSchema},
		{name: "no kind", obj: map[string]any{"apiVersion": "v1"}, wantStatus: NoSchema},
		{name: "apiVersion not a string", obj: map[string]any{"apiVersion": 1, "kind": "ConfigMap"}, wantStatus: NoSchema},
		{name: "malformed apiVersion", obj: map[string]any{"apiVersion": "a/b/c", "kind": "ConfigMap"}, wantStatus: NoSchema},
		{name: "empty object", obj: map[string]any{}, wantStatus: NoSchema},
		{name: "nil object", obj: nil, wantStatus: NoSchema},
		{
			name:       "removed flux kustomization version",
			obj:        map[string]any{"apiVersion": "kustomize.toolkit.fluxcd.io/v1beta2", "kind": "Kustomization"},
			wantStatus: UnservedVersion, wantServed: []string{"kustomize.toolkit.fluxcd.io/v1"},
		},
		{
			name:       "removed helmrelease version",
			obj:        map[string]any{"apiVersion": "helm.toolkit.fluxcd.io/v2beta1", "kind": "HelmRelease"},
			wantStatus: UnservedVersion, wantServed: []string{"helm.toolkit.fluxcd.io/v2"},
		},
		{
			name:       "unknown kind in a flux group",
			obj:        map[string]any{"apiVersion": "notification.toolkit.fluxcd.io/v1", "kind": "Pager"},
			wantStatus: UnservedVersion, wantServed: []string{"notification.toolkit.fluxcd.io/v1beta3", "notification.toolkit.fluxcd.io/v1"},
		},
		{
			name:       "removed deployment version",
			obj:        map[string]any{"apiVersion": "apps/v1beta1", "kind": "Deployment"},
			wantStatus: UnservedVersion, wantServed: []string{"apps/v1"},
		},
		{
			name:       "removed flowcontrol version",
			obj:        map[string]any{"apiVersion": "flowcontrol.apiserver.k8s.io/v1beta3", "kind": "FlowSchema"},
			wantStatus: UnservedVersion, wantServed: []string{"flowcontrol.apiserver.k8s.io/v1"},
		},
		{
			name:       "core kind under a made-up version",
			obj:        map[string]any{"apiVersion": "v2", "kind": "ConfigMap"},
			wantStatus: UnservedVersion, wantServed: []string{"v1"},
		},
		{
			name:       "admission policy v1beta1 served on 1.33",
			version:    "1.33",
			obj:        map[string]any{"apiVersion": "admissionregistration.k8s.io/v1beta1", "kind": "ValidatingAdmissionPolicy", "spec": map[string]any{}},
			wantStatus: Valid,
		},
		{
			name:       "admission policy v1beta1 removed by 1.37",
			version:    "1.37",
			obj:        map[string]any{"apiVersion": "admissionregistration.k8s.io/v1beta1", "kind": "ValidatingAdmissionPolicy", "spec": map[string]any{}},
			wantStatus: UnservedVersion, wantServed: []string{"admissionregistration.k8s.io/v1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := validator(t, tt.version).Validate(tt.obj)
			if res.Status != tt.wantStatus {
				t.Fatalf("status = %v, want %v; violations:%s", res.Status, tt.wantStatus, formatViolations(res.Violations))
			}
			if !slices.Equal(res.Served, tt.wantServed) {
				t.Fatalf("served = %q, want %q", res.Served, tt.wantServed)
			}
		})
	}
}
