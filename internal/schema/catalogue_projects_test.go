package schema

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// catalogueCases are, for projects added to the catalogue after counting
// the kinds public home-lab repositories leave without a schema, one object
// as such a repository commits it (trimmed) and the same object with one
// defect: the first must be valid by the catalogue's schema and the second
// must not, with a violation at the defect's path.
var catalogueCases = []struct {
	project, valid, from, to, wantPath, wantRule string
}{
	{project: "barman-cloud", valid: `
apiVersion: barmancloud.cnpg.io/v1
kind: ObjectStore
metadata: {name: backup, namespace: database}
spec:
  retentionPolicy: 30d
  configuration:
    destinationPath: s3://postgres/
    endpointURL: http://192.168.2.10:9000
    s3Credentials:
      accessKeyId: {name: s3-creds, key: ACCESS_KEY_ID}
      secretAccessKey: {name: s3-creds, key: ACCESS_SECRET_KEY}
    wal: {compression: gzip}
`, from: "compression: gzip", to: "compresion: gzip",
		wantPath: "spec/configuration/wal/compresion", wantRule: RuleUnknownField},
	{project: "crunchy-postgres", valid: `
apiVersion: postgres-operator.crunchydata.com/v1beta1
kind: PostgresCluster
metadata: {name: postgres, namespace: database}
spec:
  postgresVersion: 16
  instances:
    - name: postgres
      replicas: 2
      dataVolumeClaimSpec:
        storageClassName: openebs-hostpath
        accessModes: [ReadWriteOnce]
        resources: {requests: {storage: 20Gi}}
  backups:
    pgbackrest:
      repos:
        - name: repo1
          s3: {bucket: crunchy-pgo, endpoint: s3.example.com, region: us-east-1}
`, from: "replicas: 2", to: "replicas: two",
		wantPath: "spec/instances/0/replicas", wantRule: RuleInvalid},
	{project: "dragonfly-operator", valid: `
apiVersion: dragonflydb.io/v1alpha1
kind: Dragonfly
metadata: {name: dragonfly, namespace: database}
spec:
  image: ghcr.io/dragonflydb/dragonfly:v1.39.0
  replicas: 3
  args: [--cache_mode=true]
  resources:
    requests: {cpu: 100m, memory: 3Gi}
    limits: {memory: 4Gi}
`, from: "replicas: 3", to: "replica: 3",
		wantPath: "spec/replica", wantRule: RuleUnknownField},
	{project: "ext-postgres-operator", valid: `
apiVersion: db.movetokube.com/v1alpha1
kind: PostgresUser
metadata:
  name: homeassistant-user
  namespace: home-automation
  annotations: {postgres.db.movetokube.com/instance: postgres18}
spec:
  role: homeassistant
  database: homeassistant-db
  secretName: database
  privileges: OWNER
`, from: "secretName: database", to: "secretname: database",
		wantPath: "spec/secretname", wantRule: RuleUnknownField},
	{project: "litellm-operator", valid: `
apiVersion: litellm.home-operations.com/v1alpha1
kind: LiteLLMModel
metadata: {name: frontier-pool-3, namespace: llm}
spec:
  modelName: frontier-pool
  proxyRef: litellm
  params:
    model: openai/kimi-k3
    apiBase: https://api.moonshot.ai/v1
    apiKey: os.environ/MOONSHOT_API_KEY
  info:
    mode: chat
    maxInputTokens: 1048576
    supportsVision: true
`, from: "supportsVision: true", to: "supportsVision: yes please",
		wantPath: "spec/info/supportsVision", wantRule: RuleInvalid},
	{project: "miroir", valid: `
apiVersion: miroir.home-operations.com/v1alpha1
kind: MiroirNode
metadata: {name: delta}
spec:
  pools:
    - name: default
      lvmthin:
        device: /dev/disk/by-partlabel/r-miroir
`, from: "lvmthin:", to: "lvmthinn:",
		wantPath: "spec/pools/0/lvmthinn", wantRule: RuleUnknownField},
	{project: "node-feature-discovery", valid: `
apiVersion: nfd.k8s-sigs.io/v1alpha1
kind: NodeFeatureRule
metadata: {name: intel-gpu}
spec:
  rules:
    - name: intel.gpu
      labels: {intel.feature.node.kubernetes.io/gpu: "true"}
      matchFeatures:
        - feature: pci.device
          matchExpressions:
            vendor: {op: In, value: ["8086"]}
`, from: "op: In", to: "op: Contains",
		wantPath: "spec/rules/0/matchFeatures/0/matchExpressions/vendor/op", wantRule: RuleInvalid},
	{project: "opentelemetry-operator", valid: `
apiVersion: opentelemetry.io/v1alpha1
kind: Instrumentation
metadata: {name: otel-instrumentation, namespace: monitoring}
spec:
  exporter:
    endpoint: http://otel-collector.monitoring.svc.cluster.local:4318
  propagators: [tracecontext, baggage]
  sampler:
    type: parentbased_traceidratio
    argument: "1"
  python: {}
`, from: "type: parentbased_traceidratio", to: "type: parentbased_ratio",
		wantPath: "spec/sampler/type", wantRule: RuleInvalid},
	{project: "pocket-id-operator", valid: `
apiVersion: pocketid.internal/v1alpha1
kind: PocketIDOIDCClient
metadata: {name: forgejo, namespace: default}
spec:
  name: forgejo
  clientID: forgejo
  skipConsent: true
  launchUrl: https://git.example.com
  callbackUrls: [https://git.example.com/user/oauth2/pocket-id/callback]
  secret:
    keys: {clientSecret: client-secret}
`, from: "skipConsent: true", to: "skipConsent: sure",
		wantPath: "spec/skipConsent", wantRule: RuleInvalid},
	{project: "renovate-operator", valid: `
apiVersion: renovate-operator.mogenius.com/v1alpha1
kind: RenovateJob
metadata: {name: joryirving, namespace: renovate}
spec:
  discoveryFilters: ["joryirving/*"]
  extraEnv:
    - name: DOCKERHUB_TOKEN
      valueFrom:
        secretKeyRef: {name: docker-hub-token, key: DOCKERHUB_TOKEN}
  image: ghcr.io/renovatebot/renovate:44.39.2
  parallelism: 5
  provider: {name: github}
  schedule: 20 * * * *
  secretRef: smurf-bot-auth-token
`, from: "parallelism: 5", to: "paralelism: 5",
		wantPath: "spec/paralelism", wantRule: RuleUnknownField},
	{project: "system-upgrade-controller", valid: `
apiVersion: upgrade.cattle.io/v1
kind: Plan
metadata: {name: kubernetes, namespace: system-upgrade}
spec:
  version: v1.34.1
  serviceAccountName: system-upgrade
  concurrency: 1
  nodeSelector:
    matchExpressions:
      - {key: node-role.kubernetes.io/control-plane, operator: Exists}
  upgrade:
    image: ghcr.io/siderolabs/talosctl:v1.11.2
    args: [--nodes=$(NODE_IP), upgrade-k8s]
`, from: "concurrency: 1", to: "concurrency: one",
		wantPath: "spec/concurrency", wantRule: RuleInvalid},
	{project: "tailscale", valid: `
apiVersion: tailscale.com/v1alpha1
kind: Connector
metadata: {name: home-subnet}
spec:
  hostname: home-subnet-router
  subnetRouter:
    advertiseRoutes: [10.90.0.0/16]
`, from: "advertiseRoutes:", to: "advertisedRoutes:",
		wantPath: "spec/subnetRouter/advertisedRoutes", wantRule: RuleUnknownField},
	{project: "talos", valid: `
apiVersion: talos.dev/v1alpha1
kind: ServiceAccount
metadata: {name: talos-mcp-talosconfig, namespace: llm}
spec:
  roles:
    - os:reader
`, from: "roles:", to: "role:",
		wantPath: "spec/role", wantRule: RuleUnknownField},
	{project: "tofu-controller", valid: `
apiVersion: infra.contrib.fluxcd.io/v1alpha2
kind: Terraform
metadata: {name: garage, namespace: flux-system}
spec:
  interval: 12h
  approvePlan: auto
  path: ./garage
  sourceRef: {kind: OCIRepository, name: terraform}
  varsFrom:
    - {kind: Secret, name: terraform-secret}
`, from: "kind: Secret", to: "kind: Vault",
		wantPath: "spec/varsFrom/0/kind", wantRule: RuleInvalid},
	{project: "toolhive", valid: `
apiVersion: toolhive.stacklok.dev/v1beta1
kind: MCPServer
metadata: {name: arr, namespace: llm}
spec:
  image: docker.io/node:24-alpine
  transport: stdio
  proxyMode: streamable-http
  proxyPort: 8080
  secrets:
    - {name: toolhive-sonarr, key: SONARR_API_KEY, targetEnvName: SONARR_API_KEY}
  resources:
    requests: {cpu: 50m, memory: 128Mi}
  groupRef: {name: mcp-tools}
`, from: "transport: stdio", to: "transport: http",
		wantPath: "spec/transport", wantRule: RuleInvalid},
	{project: "victoria-metrics-operator", valid: `
apiVersion: operator.victoriametrics.com/v1beta1
kind: VMServiceScrape
metadata: {name: kube-state-metrics, namespace: victoria-metrics}
spec:
  endpoints:
    - honorLabels: true
      metricRelabelConfigs:
        - {action: labeldrop, regex: (uid|container_id|image_id)}
      port: http
  jobLabel: app.kubernetes.io/name
  selector:
    matchLabels: {app.kubernetes.io/name: kube-state-metrics}
`, from: "honorLabels: true", to: "honorLabels: sometimes",
		wantPath: "spec/endpoints/0/honorLabels", wantRule: RuleInvalid},
}

// TestCatalogueProjectKinds validates each catalogueCases object and its
// defective copy with the catalogue alone: without the project in the
// catalogue both would be without a schema.
func TestCatalogueProjectKinds(t *testing.T) {
	ctx := context.Background()
	v := validator(t, "")
	for _, tt := range catalogueCases {
		t.Run(tt.project, func(t *testing.T) {
			res := v.ValidateIn(ctx, decode(t, tt.valid), nil, ValidateOptions{})
			if res.Status != Valid || !strings.HasPrefix(res.Source, tt.project+" ") {
				t.Fatalf("valid object: status %v, source %q%s", res.Status, res.Source, formatViolations(res.Violations))
			}
			if !strings.Contains(tt.valid, tt.from) {
				t.Fatalf("test object lacks %q", tt.from)
			}
			res = v.ValidateIn(ctx, decode(t, strings.Replace(tt.valid, tt.from, tt.to, 1)), nil, ValidateOptions{})
			found := slices.ContainsFunc(res.Violations, func(viol Violation) bool {
				return strings.Join(viol.Path, "/") == tt.wantPath && viol.Rule == tt.wantRule
			})
			if res.Status != Invalid || !found {
				t.Fatalf("defective object: status %v, violations:%s\nwant %s at %s", res.Status,
					formatViolations(res.Violations), tt.wantRule, tt.wantPath)
			}
		})
	}
}
