package schema

import (
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"
)

// validators caches one Validator per version across tests.
var (
	validatorsMu sync.Mutex
	validators   = map[string]*Validator{}
)

func validator(t testing.TB, version string) *Validator {
	t.Helper()
	validatorsMu.Lock()
	defer validatorsMu.Unlock()
	if v, ok := validators[version]; ok {
		return v
	}
	v, err := New(version)
	if err != nil {
		t.Fatalf("New(%q): %v", version, err)
	}
	validators[version] = v
	return v
}

// decode parses one YAML document as the project's loader does.
func decode(t testing.TB, doc string) map[string]any {
	t.Helper()
	var obj map[string]any
	if err := yaml.Unmarshal([]byte(strings.ReplaceAll(doc, "\t", "  ")), &obj); err != nil {
		t.Fatalf("decode test object: %v\n%s", err, doc)
	}
	return obj
}

func formatViolations(vs []Violation) string {
	var b strings.Builder
	for _, v := range vs {
		b.WriteString("\n  " + strings.Join(v.Path, "/") + " [" + v.Rule + "] " + v.Message)
	}
	return b.String()
}

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
  labels:
    app: web
  creationTimestamp: null
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          imagePullPolicy: IfNotPresent
          ports:
            - containerPort: 8080
              name: http
          resources:
            requests:
              cpu: 500m
              memory: 1Gi
            limits:
              cpu: 1
              memory: 2Gi
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 10
          env:
            - name: A
              value: "1"
            - name: B
              valueFrom:
                secretKeyRef:
                  name: s
                  key: k
status: {}
`

// set returns a copy of the YAML object doc with the value at path
// replaced; a nil value deletes the key.
func set(t testing.TB, doc string, path []string, value any) map[string]any {
	t.Helper()
	obj := decode(t, doc)
	var cur any = obj
	for i, p := range path {
		last := i == len(path)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				if value == nil {
					delete(c, p)
				} else {
					c[p] = value
				}
				return obj
			}
			if _, ok := c[p]; !ok {
				c[p] = map[string]any{}
			}
			cur = c[p]
		case []any:
			idx := 0
			for _, r := range p {
				idx = idx*10 + int(r-'0')
			}
			if last {
				c[idx] = value
				return obj
			}
			cur = c[idx]
		default:
			t.Fatalf("set: %v is not a container", path[:i])
		}
	}
	return obj
}
