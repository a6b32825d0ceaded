package schema_test

import (
	"fmt"
	"strings"

	"github.com/fluxlint/fluxlint/internal/schema"
)

func Example() {
	v, err := schema.New("1.37")
	if err != nil {
		fmt.Println(err)
		return
	}
	obj := map[string]any{
		"apiVersion": "apps/v1",
		"kind":       "Deployment",
		"metadata":   map[string]any{"name": "web", "creationTimestamp": nil},
		"spec": map[string]any{
			"replicas": "two",
			"selector": map[string]any{"matchLabels": map[string]any{"app": "web"}},
			"template": map[string]any{
				"metadata": map[string]any{"labels": map[string]any{"app": "web"}},
				"spec": map[string]any{"containers": []any{
					map[string]any{"image": "nginx", "imagePullPolicy": "Always", "port": 80},
				}},
			},
		},
	}
	res := v.Validate(obj)
	fmt.Println(res.Status)
	for _, viol := range res.Violations {
		fmt.Printf("%s: %s: %s\n", strings.Join(viol.Path, "."), viol.Rule, viol.Message)
	}

	res = v.Validate(map[string]any{"apiVersion": "kustomize.toolkit.fluxcd.io/v1beta2", "kind": "Kustomization"})
	fmt.Println(res.Status, res.Served)
	// Output:
	// invalid
	// spec.replicas: schema-invalid: invalid value: got string, want integer
	// spec.template.spec.containers.0: schema-required: missing required field "name"
	// spec.template.spec.containers.0.port: schema-unknown-field: unknown field "port"
	// unserved-version [kustomize.toolkit.fluxcd.io/v1]
}
