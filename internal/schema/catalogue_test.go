package schema

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestCatalogueCRDsCompile compiles every CRD of every embedded version of
// every catalogue project: a served version whose schema does not compile
// would report an error on each of its objects.
func TestCatalogueCRDsCompile(t *testing.T) {
	idx, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	if len(idx.projects) < 20 {
		t.Fatalf("%d catalogue projects, want at least 20", len(idx.projects))
	}
	groups := map[string]string{}
	for i, p := range idx.projects {
		if len(p.Versions) == 0 || len(p.Versions) != len(p.Sources) || p.License == "" {
			t.Errorf("%s: versions %v, sources %v, licence %q", p.Name, p.Versions, p.Sources, p.License)
		}
		for _, g := range p.Groups {
			if other, ok := groups[g]; ok {
				t.Errorf("group %s is in %s and %s", g, other, p.Name)
			}
			groups[g] = p.Name
		}
		b, err := idx.loaders[i]()
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		for _, version := range p.Versions {
			kinds := b.versions[version]
			if len(kinds) == 0 {
				t.Errorf("%s %s: no CRD", p.Name, version)
			}
			for gk, c := range kinds {
				crd, err := c.compiled()
				if err != nil {
					t.Errorf("%s %s %s: %v", p.Name, version, gk.kind, err)
					continue
				}
				for name, cv := range crd.versions {
					if cv.served && cv.compiled().err != nil {
						t.Errorf("%s %s %s/%s %s: %v", p.Name, version, gk.group, name, gk.kind, cv.err)
					}
				}
			}
		}
	}
}

const catalogueCertificate = `
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
  namespace: apps
spec:
  secretName: web-tls
  dnsNames: [web.example.com]
  issuerRef: {kind: ClusterIssuer, name: letsencrypt}
  colour: blue
`

// certificateCRD accepts any Certificate spec.
const certificateCRD = `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: certificates.cert-manager.io
spec:
  group: cert-manager.io
  scope: Namespaced
  names: {kind: Certificate, plural: certificates}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
`

func TestCataloguePrecedence(t *testing.T) {
	ctx := context.Background()
	obj := decode(t, catalogueCertificate)
	tests := []struct {
		name       string
		opts       Options
		crds       []string
		wantStatus Status
		wantSource string
	}{
		{name: "catalogue", wantStatus: Invalid, wantSource: "cert-manager v1.21.2"},
		{name: "pinned", opts: Options{CatalogueVersions: map[string]string{"cert-manager": "1.20.2"}},
			wantStatus: Invalid, wantSource: "cert-manager v1.20.2"},
		{name: "repository CRD wins", crds: []string{certificateCRD}, wantStatus: Valid},
		{name: "off", opts: Options{NoCatalogue: true}, wantStatus: NoSchema},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := NewWithOptions(tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var objs []map[string]any
			for _, c := range tt.crds {
				objs = append(objs, decode(t, c))
			}
			set, errs := v.CRDSet(objs)
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			res := v.ValidateIn(ctx, obj, set, ValidateOptions{})
			if res.Status != tt.wantStatus || res.Source != tt.wantSource {
				t.Fatalf("status %v, source %q, want %v, %q%s", res.Status, res.Source, tt.wantStatus, tt.wantSource,
					formatViolations(res.Violations))
			}
			if tt.wantStatus == Invalid && (len(res.Violations) != 1 || res.Violations[0].Rule != RuleUnknownField) {
				t.Fatalf("violations:%s\nwant one unknown field", formatViolations(res.Violations))
			}
		})
	}
}

func TestCatalogueVersionsRefused(t *testing.T) {
	tests := []struct {
		name   string
		pinned map[string]string
		want   string
	}{
		{name: "unknown project", pinned: map[string]string{"cert-mgr": "v1.20.2"}, want: `no project "cert-mgr"`},
		{name: "unknown version", pinned: map[string]string{"cert-manager": "v1.2.0"}, want: "it has v1.21.2, v1.20.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewWithOptions(Options{CatalogueVersions: tt.pinned})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestCatalogueCEL checks that the CEL rules of a catalogue CRD run: a
// Gateway API path match whose value is not absolute.
func TestCatalogueCEL(t *testing.T) {
	obj := decode(t, `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: apps}
spec:
  rules:
    - matches:
        - path: {type: PathPrefix, value: api}
`)
	res := validator(t, "").ValidateIn(context.Background(), obj, nil, ValidateOptions{})
	i := slices.IndexFunc(res.Violations, func(v Violation) bool { return strings.Contains(v.Message, "absolute path") })
	if res.Status != Invalid || i < 0 || !strings.HasPrefix(res.Source, "gateway-api ") {
		t.Fatalf("status %v, source %q, violations:%s\nwant the path rule", res.Status, res.Source, formatViolations(res.Violations))
	}
}

func TestCatalogueProjects(t *testing.T) {
	projects := CatalogueProjects()
	i := slices.IndexFunc(projects, func(p CatalogueProject) bool { return p.Name == "gateway-api" })
	if i < 0 {
		t.Fatal("no gateway-api project")
	}
	p := projects[i]
	if !slices.Contains(p.Groups, "gateway.networking.k8s.io") || len(p.Versions) < 2 {
		t.Fatalf("gateway-api: groups %v, versions %v", p.Groups, p.Versions)
	}
	// The returned slices are copies.
	p.Versions[0] = "changed"
	if CatalogueProjects()[i].Versions[0] == "changed" {
		t.Fatal("CatalogueProjects returned the index's own slices")
	}
}
