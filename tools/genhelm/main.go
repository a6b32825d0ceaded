// Command genhelm writes a Flux repository with one cluster whose
// Kustomization holds N HelmReleases of one local chart, each with its own
// values, and the same values as files for `helm template`, for the
// HelmRelease rendering benchmark (bench/helm-releases.sh).
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

const chartYAML = "apiVersion: v2\nname: app\nversion: 1.0.0\n"

const values = `replicas: 1
image: nginx:1.27
port: 8080
env: {}
`

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels: {app: {{ .Release.Name }}}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: {{ .Release.Name }}}
  template:
    metadata:
      labels: {app: {{ .Release.Name }}}
    spec:
      containers:
        - name: app
          image: {{ .Values.image }}
          ports:
            - name: http
              containerPort: {{ .Values.port }}
          env:
          {{- range $k, $v := .Values.env }}
            - name: {{ $k }}
              value: {{ $v | quote }}
          {{- end }}
`

const service = `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
spec:
  selector: {app: {{ .Release.Name }}}
  ports:
    - port: 80
      targetPort: http
`

func main() {
	out := flag.String("out", "", "folder to write the repository into")
	n := flag.Int("n", 200, "number of HelmReleases")
	flag.Parse()
	if *out == "" {
		log.Fatal("genhelm: -out is required")
	}
	files := map[string]string{
		"charts/app/Chart.yaml":                chartYAML,
		"charts/app/values.yaml":               values,
		"charts/app/templates/deployment.yaml": deployment,
		"charts/app/templates/service.yaml":    service,
		"clusters/bench/apps.yaml": `apiVersion: kustomize.toolkit.fluxcd.io/v1
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
`,
		"apps/namespace.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: bench\n",
	}
	for i := range *n {
		name := fmt.Sprintf("app-%03d", i)
		v := fmt.Sprintf("replicas: %d\nport: %d\nenv:\n  INDEX: %q\n", 1+i%3, 8000+i, fmt.Sprint(i))
		files["values/"+name+".yaml"] = v
		files["apps/"+name+".yaml"] = fmt.Sprintf(`apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: %s
  namespace: bench
spec:
  interval: 1h
  chart:
    spec:
      chart: ./charts/app
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  values:
    replicas: %d
    port: %d
    env:
      INDEX: %q
`, name, 1+i%3, 8000+i, fmt.Sprint(i))
	}
	for name, body := range files {
		p := filepath.Join(*out, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			log.Fatal(err)
		}
	}
}
