package policy

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// object parses one YAML document into a rendered object with positions.
func object(t testing.TB, file, text string) *model.Object {
	t.Helper()
	f := source.Parse(file, []byte(text))
	if len(f.Docs) != 1 {
		t.Fatalf("%s: %d documents", file, len(f.Docs))
	}
	d := f.Docs[0]
	content := d.Object()
	str := func(k string) string { s, _ := content[k].(string); return s }
	md, _ := content["metadata"].(map[string]any)
	name, _ := md["name"].(string)
	ns, _ := md["namespace"].(string)
	return &model.Object{
		Ref:     finding.ObjectRef{APIVersion: str("apiVersion"), Kind: str("kind"), Namespace: ns, Name: name},
		Content: content, Doc: d, Origin: d.Pos(),
	}
}

// policyDir writes Rego files into a new folder.
func policyDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
`

func check(t *testing.T, opts Options, objs ...*model.Object) []finding.Finding {
	t.Helper()
	opts.NoBuiltins = true
	e, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return e.Check(context.Background(), &model.Cluster{Name: "c", Path: "clusters/c", Objects: objs})
}

func TestResults(t *testing.T) {
	tests := []struct {
		name     string
		rego     string
		opts     Options
		wantRule string
		wantSev  finding.Severity
		wantMsg  string
		wantPos  string
	}{
		{name: "string message at the object", rego: `package main
deny contains "no" if input.kind == "Deployment"`,
			wantRule: "policy-main-deny", wantSev: finding.Error, wantMsg: "no", wantPos: "d.yaml:1:1"},
		{name: "path as a list", rego: `package main
warn contains {"msg": "image", "path": ["spec", "template", "spec", "containers", 0, "image"]} if true`,
			wantRule: "policy-main-warn", wantSev: finding.Warning, wantMsg: "image", wantPos: "d.yaml:11:11"},
		{name: "path as a dotted string", rego: `package main
violation_names contains {"msg": "ns", "path": "metadata.namespace"} if true`,
			wantRule: "policy-main-violation-names", wantSev: finding.Error, wantMsg: "ns", wantPos: "d.yaml:5:3"},
		{name: "METADATA id and severity", rego: `# METADATA
# title: Team label
# custom:
#   id: policy-team-label
#   severity: info
package main
deny contains "no team" if true`,
			wantRule: "policy-team-label", wantSev: finding.Info, wantMsg: "no team", wantPos: "d.yaml:1:1"},
		{name: "severity override", rego: `package main
deny contains "x" if true`, opts: Options{Severity: map[string]finding.Severity{"policy-main-deny": finding.Warning}},
			wantRule: "policy-main-deny", wantSev: finding.Warning, wantMsg: "x", wantPos: "d.yaml:1:1"},
		{name: "boolean rule takes the title", rego: `# METADATA
# title: Deployments are forbidden
package main
deny if input.kind == "Deployment"`,
			wantRule: "policy-main-deny", wantSev: finding.Error, wantMsg: "Deployments are forbidden", wantPos: "d.yaml:1:1"},
		{name: "other namespace", rego: `package team.rules
deny contains "x" if true`, opts: Options{Namespaces: []string{"team.rules"}},
			wantRule: "policy-team-rules-deny", wantSev: finding.Error, wantMsg: "x", wantPos: "d.yaml:1:1"},
		{name: "rego v0", rego: `package main
deny[msg] { input.kind == "Deployment"; msg := "v0" }`, opts: Options{RegoV0: true},
			wantRule: "policy-main-deny", wantSev: finding.Error, wantMsg: "v0", wantPos: "d.yaml:1:1"},
		{name: "result without msg", rego: `package main
deny contains {"message": "x"} if true`,
			wantRule: RuleError, wantSev: finding.Error, wantMsg: "policy main.deny: a result object has no msg string", wantPos: "d.yaml:1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := tt.opts
			opts.Dirs = []string{policyDir(t, map[string]string{"p.rego": tt.rego})}
			got := check(t, opts, object(t, "d.yaml", deployment))
			if len(got) != 1 {
				t.Fatalf("got %d findings, want 1: %v", len(got), got)
			}
			f := got[0]
			if f.RuleID != tt.wantRule || f.Severity != tt.wantSev || f.Message != tt.wantMsg || f.Pos.String() != tt.wantPos {
				t.Errorf("got %s %s %q at %s; want %s %s %q at %s", f.RuleID, f.Severity, f.Message, f.Pos, tt.wantRule, tt.wantSev, tt.wantMsg, tt.wantPos)
			}
			if f.Cluster != "c" || f.Object.Name != "web" {
				t.Errorf("cluster %q, object %v", f.Cluster, f.Object)
			}
		})
	}
}

func TestOnlyMainByDefault(t *testing.T) {
	dir := policyDir(t, map[string]string{"p.rego": "package other\ndeny contains \"x\" if true\n"})
	if got := check(t, Options{Dirs: []string{dir}}, object(t, "d.yaml", deployment)); len(got) != 0 {
		t.Errorf("package other ran: %v", got)
	}
}

func TestDisabled(t *testing.T) {
	dir := policyDir(t, map[string]string{"p.rego": "package main\ndeny contains \"x\" if true\nwarn contains \"y\" if true\n"})
	got := check(t, Options{Dirs: []string{dir}, Disabled: map[string]bool{"policy-main-deny": true}}, object(t, "d.yaml", deployment))
	if len(got) != 1 || got[0].RuleID != "policy-main-warn" {
		t.Errorf("got %v, want only policy-main-warn", got)
	}
}

func TestData(t *testing.T) {
	dir := policyDir(t, map[string]string{"p.rego": "package main\ndeny contains msg if { not input.metadata.namespace in data.allowed.namespaces; msg := \"namespace\" }\n"})
	data := filepath.Join(t.TempDir(), "allowed.yaml")
	if err := os.WriteFile(data, []byte("allowed:\n  namespaces: [prod]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := check(t, Options{Dirs: []string{dir}, DataFiles: []string{data}}, object(t, "d.yaml", deployment)); len(got) != 1 {
		t.Errorf("got %v, want the namespace finding", got)
	}
}

func TestCombine(t *testing.T) {
	dir := policyDir(t, map[string]string{"p.rego": `package main
deny contains {"msg": "no Service for this Deployment", "object": {"kind": d.kind, "namespace": d.metadata.namespace, "name": d.metadata.name}, "path": ["metadata", "name"]} if {
	some doc in input
	d := doc.contents
	d.kind == "Deployment"
	not service(d.metadata.name)
}

service(name) if {
	some doc in input
	doc.contents.kind == "Service"
	doc.contents.metadata.name == name
}
`})
	cm := object(t, "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: apps\n")
	got := check(t, Options{Dirs: []string{dir}, Combine: true}, object(t, "d.yaml", deployment), cm)
	if len(got) != 1 || got[0].Pos.String() != "d.yaml:4:3" || got[0].Object.Kind != "Deployment" {
		t.Errorf("got %v, want one finding at d.yaml:4:3 on the Deployment", got)
	}
}

func TestUnsafeBuiltins(t *testing.T) {
	for _, call := range []string{`http.send({"method": "GET", "url": "http://127.0.0.1:1"})`, `net.lookup_ip_addr("example.com")`, `opa.runtime()`} {
		t.Run(call, func(t *testing.T) {
			dir := policyDir(t, map[string]string{
				"bad.rego":  "package main\n\ndeny contains msg if {\n\tx := " + call + "\n\tmsg := sprintf(\"%v\", [x])\n}\n",
				"good.rego": "package main\n\nwarn contains \"ran\" if true\n",
			})
			got := check(t, Options{Dirs: []string{dir}}, object(t, "d.yaml", deployment))
			var unsafe, ran bool
			for _, f := range got {
				unsafe = unsafe || f.RuleID == RuleError && f.Pos.Line == 4 && strings.HasSuffix(f.Pos.File, "bad.rego") && strings.Contains(f.Message, "disabled: fluxlint runs offline")
				ran = ran || f.Message == "ran"
			}
			if !unsafe || !ran {
				t.Errorf("got %v; want a policy-error at bad.rego:4 and good.rego's warning", got)
			}
		})
	}
}

func TestSyntaxErrorIsAFinding(t *testing.T) {
	dir := policyDir(t, map[string]string{"bad.rego": "package main\n\ndeny contains msg if {\n", "good.rego": "package main\nwarn contains \"ran\" if true\n"})
	got := check(t, Options{Dirs: []string{dir}}, object(t, "d.yaml", deployment))
	if len(got) != 2 || got[0].RuleID != RuleError || !strings.HasSuffix(got[0].Pos.File, "bad.rego") || got[1].Message != "ran" {
		t.Errorf("got %v; want a policy-error in bad.rego, then good.rego's warning", got)
	}
}

func TestTimeout(t *testing.T) {
	dir := policyDir(t, map[string]string{"slow.rego": `package main
deny contains "slow" if {
	count([1 | some i in numbers.range(1, 5000); some j in numbers.range(1, 5000)]) > 0
}`})
	got := check(t, Options{Dirs: []string{dir}, Timeout: 50 * time.Millisecond}, object(t, "d.yaml", deployment))
	if len(got) != 1 || got[0].RuleID != RuleError || !strings.Contains(got[0].Message, "stopped after 50ms") {
		t.Errorf("got %v, want a policy-error about the time limit", got)
	}
}

func TestMissingFolder(t *testing.T) {
	if _, err := New(context.Background(), Options{Dirs: []string{filepath.Join(t.TempDir(), "nope")}}); err == nil {
		t.Error("no error for a missing policy folder")
	}
}

// TestBuiltinExamples checks every built-in rule against the bad and good
// examples of its METADATA, which fluxlint rules explain prints.
func TestBuiltinExamples(t *testing.T) {
	rules, err := Rules()
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r.ID == RuleError || r.ID == RuleBudget {
			continue // about the policies, not the objects
		}
		t.Run(r.ID, func(t *testing.T) {
			if r.Bad == "" || r.Good == "" {
				t.Fatal("no bad or good example")
			}
			fires := func(text string) bool {
				c := &model.Cluster{Name: "c", Objects: []*model.Object{object(t, "x.yaml", text+"\nmetadata:\n  name: x\n")}}
				for _, f := range e.Check(context.Background(), c) {
					if f.RuleID == r.ID {
						return true
					}
				}
				return false
			}
			if !fires(r.Bad) {
				t.Errorf("does not fire on its bad example:\n%s", r.Bad)
			}
			if fires(r.Good) {
				t.Errorf("fires on its good example:\n%s", r.Good)
			}
		})
	}
}

func TestKinds(t *testing.T) {
	dir := policyDir(t, map[string]string{
		"cm.rego":  "package main\n\n# METADATA\n# custom:\n#   kinds: [ConfigMap]\ndeny contains \"configmap rule\" if true\n",
		"all.rego": "package main\n\nwarn contains \"every kind\" if true\n",
	})
	cm := object(t, "cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n")
	got := check(t, Options{Dirs: []string{dir}}, object(t, "d.yaml", deployment), cm)
	var msgs []string
	for _, f := range got {
		msgs = append(msgs, f.Pos.File+" "+f.Message)
	}
	want := "d.yaml every kind|cm.yaml every kind|cm.yaml configmap rule"
	if strings.Join(msgs, "|") != want {
		t.Errorf("got %q, want %q", strings.Join(msgs, "|"), want)
	}
}
