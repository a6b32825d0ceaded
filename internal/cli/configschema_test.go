package cli

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// schemaFile is the JSON schema of .fluxlint.yaml, kept at the repository
// root so that yaml-language-server can use it through a $schema comment.
const schemaFile = "../../fluxlint.schema.json"

// jsonNode is the part of a JSON schema the agreement test reads.
type jsonNode struct {
	Type                 string              `json:"type"`
	Properties           map[string]jsonNode `json:"properties"`
	Items                *jsonNode           `json:"items"`
	AdditionalProperties any                 `json:"additionalProperties"`
}

func loadSchemaNode(t *testing.T) jsonNode {
	t.Helper()
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	var n jsonNode
	if err := json.Unmarshal(data, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestConfigSchemaMatchesStruct walks the Config struct and the schema
// together: every yaml key of the struct is a schema property of a
// matching type, and every schema property is a key of the struct.
func TestConfigSchemaMatchesStruct(t *testing.T) {
	compare(t, "Config", reflect.TypeFor[Config](), loadSchemaNode(t))
}

func compare(t *testing.T, path string, typ reflect.Type, node jsonNode) {
	t.Helper()
	switch typ.Kind() {
	case reflect.Pointer:
		compare(t, path, typ.Elem(), node)
	case reflect.Struct:
		compareStruct(t, path, typ, node)
	case reflect.Slice:
		if node.Type != "array" || node.Items == nil {
			t.Errorf("%s: schema type %q, want an array with items", path, node.Type)
			return
		}
		compare(t, path+"[]", typ.Elem(), *node.Items)
	case reflect.Map:
		if node.Type != "object" {
			t.Errorf("%s: schema type %q, want object", path, node.Type)
		}
		if node.AdditionalProperties == nil || node.AdditionalProperties == false {
			t.Errorf("%s: a map needs additionalProperties", path)
		}
	default:
		want := map[reflect.Kind]string{reflect.String: "string", reflect.Bool: "boolean", reflect.Int: "integer"}[typ.Kind()]
		if node.Type != want {
			t.Errorf("%s: schema type %q, want %q for Go %s", path, node.Type, want, typ)
		}
	}
}

func compareStruct(t *testing.T, path string, typ reflect.Type, node jsonNode) {
	t.Helper()
	if node.Type != "object" || node.AdditionalProperties != false {
		t.Errorf("%s: schema must be an object with additionalProperties: false (unknown keys are errors)", path)
	}
	var keys []string
	for field := range typ.Fields() {
		key, _, _ := strings.Cut(field.Tag.Get("yaml"), ",")
		if key == "-" || !field.IsExported() {
			continue
		}
		if key == "" {
			key = strings.ToLower(field.Name)
		}
		keys = append(keys, key)
		prop, ok := node.Properties[key]
		if !ok {
			t.Errorf("%s.%s (Go field %s) is not in %s", path, key, field.Name, schemaFile)
			continue
		}
		compare(t, path+"."+key, field.Type, prop)
	}
	for key := range node.Properties {
		if !slices.Contains(keys, key) {
			t.Errorf("%s: schema property %q is not a key of the Go struct %s", path, key, typ)
		}
	}
}

// TestConfigSchemaValidates checks configurations that fluxlint accepts
// against the schema, and ones it rejects.
func TestConfigSchemaValidates(t *testing.T) {
	c := jsonschema.NewCompiler()
	schema, err := c.Compile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		yaml  string
		valid bool
	}{
		{name: "empty", yaml: "{}", valid: true},
		{name: "readme example", valid: true, yaml: `kubernetesVersion: "1.35"
failOn: warning
clusters:
  - name: production
    path: clusters/production
sources:
  https://github.com/example/other-repo: ../other-repo
`},
		{name: "unknown key", yaml: "clustrs: []\n"},
		{name: "cluster without path", yaml: "clusters:\n  - name: a\n"},
		{name: "bad failOn", yaml: "failOn: fatal\n"},
		{name: "version as a number", yaml: "kubernetesVersion: 1.35\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc any
			if err := yaml.Unmarshal([]byte(tt.yaml), &doc); err != nil {
				t.Fatal(err)
			}
			err := schema.Validate(doc)
			if (err == nil) != tt.valid {
				t.Errorf("Validate = %v, want valid=%v", err, tt.valid)
			}
			if !tt.valid {
				return
			}
			// What the schema accepts, fluxlint accepts.
			path := t.TempDir() + "/" + ConfigFile
			if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := loadConfig(path, true); err != nil {
				t.Errorf("loadConfig: %v", err)
			}
		})
	}
}
