package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/gitroot"
)

// TestCorpusGitopsFluxcdDemoSecrets checks that the private key and the
// registry credentials that the demo repository commits are reported at
// the secretGenerator entries that read them.
func TestCorpusGitopsFluxcdDemoSecrets(t *testing.T) {
	out, _ := checkCorpus(t, "gitops-fluxcd-demo", "--offline")
	tests := []struct {
		rule, file string
		line       int
	}{
		{rule: "policy-secret-private-key", file: "fluxcd/infrastructure/base/traefik/custom/kustomization.yaml", line: 11},
		{rule: "policy-secret-registry-credentials", file: "fluxcd/infrastructure/base/secrets/kustomization.yaml", line: 9},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			if !out.has(tt.rule, tt.file, tt.line) {
				t.Errorf("no %s at %s:%d; findings: %+v", tt.rule, tt.file, tt.line, out.Findings)
			}
		})
	}
	for _, f := range out.Findings {
		if strings.HasPrefix(f.Rule, "policy-secret") && strings.Contains(f.Message, "BEGIN") {
			t.Errorf("a secret finding prints a value: %s", f.Message)
		}
	}
}

// conftestArgs check the conftest-style folder of testdata with its policies
// and data.
var conftestArgs = []string{
	"../../testdata/policies/conftest/repo", "--cluster", "m=manifests", "--offline", "--format", "json",
	"--policy", "../../testdata/policies/conftest/policy", "--data", "../../testdata/policies/conftest/data",
}

func runJSON(t *testing.T, args []string) (jsonOut, int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, &stdout, &stderr)
	if code == ExitError {
		return jsonOut{}, code, stderr.String()
	}
	var out jsonOut
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, stdout.String())
	}
	return out, code, stderr.String()
}

func TestUserPolicies(t *testing.T) {
	out, code, stderr := runJSON(t, append([]string{"check"}, conftestArgs...))
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1: %s", code, stderr)
	}
	want := []struct{ rule, severity, file, msg string }{
		{rule: "policy-main-deny", severity: "error", file: "manifests/deployment.yaml", msg: "Deployment web: containers must not run as root"},
		{rule: "policy-main-deny", severity: "error", file: "manifests/worker.yaml", msg: "Deployment worker: must provide app label for pod selectors"},
		{rule: "policy-main-violation", severity: "error", file: "manifests/deployment.yaml", msg: "Deployment web: image docker.io/library/nginx:1.27 is not from an allowed registry"},
		{rule: "policy-main-warn", severity: "warning", file: "manifests/service.yaml", msg: "Service web: NodePort exposes every node"},
		{rule: "policy-main-warn", severity: "warning", file: "manifests/config.yaml", msg: "ConfigMap settings: key db_password looks like a password"},
	}
	var got int
	for _, f := range out.Findings {
		if strings.HasPrefix(f.Rule, "policy-main-") {
			got++
		}
	}
	if got != len(want) {
		t.Errorf("%d findings of the user's policies, want %d: %+v", got, len(want), out.Findings)
	}
	// The folder is in this project's Git work tree, if any: files are
	// named from its top.
	prefix := gitroot.Prefix(conftestArgs[0])
	for _, w := range want {
		found := false
		for _, f := range out.Findings {
			found = found || f.Rule == w.rule && f.Severity == w.severity && f.Position.File == path.Join(prefix, w.file) && f.Message == w.msg
		}
		if !found {
			t.Errorf("missing %s %s at %s: %q", w.severity, w.rule, w.file, w.msg)
		}
	}
}

func TestRuleSettingsFromConfig(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"manifests/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n  containers:\n    - name: app\n      image: nginx:latest\n",
		ConfigFile:           "rules:\n  policy-image-tag: {severity: error}\n  policy-host-namespaces: {severity: off}\n",
	})
	out, code, stderr := runJSON(t, []string{"check", dir, "--cluster", "m=manifests", "--offline", "--format", "json"})
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1 (policy-image-tag raised to error): %s", code, stderr)
	}
	sev := map[string]string{}
	for _, f := range out.Findings {
		sev[f.Rule] = f.Severity
	}
	if sev["policy-image-tag"] != "error" {
		t.Errorf("policy-image-tag severity %q, want error", sev["policy-image-tag"])
	}
	if _, ok := sev["policy-host-namespaces"]; ok {
		t.Error("policy-host-namespaces reported although it is off")
	}
	if sev["policy-container-resources"] != "warning" {
		t.Errorf("policy-container-resources severity %q, want the default warning", sev["policy-container-resources"])
	}
	t.Run("unknown rule", func(t *testing.T) {
		dir := writeRepo(t, map[string]string{"manifests/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n", ConfigFile: "rules:\n  no-such-rule: {severity: off}\n"})
		if _, code, stderr := runJSON(t, []string{"check", dir, "--cluster", "m=manifests", "--offline"}); code != ExitError || !strings.Contains(stderr, "no-such-rule") {
			t.Errorf("exit %d (%s), want 2 naming the rule", code, stderr)
		}
	})
}

func TestUnsafeBuiltinIsAFinding(t *testing.T) {
	dir := writeRepo(t, map[string]string{
		"manifests/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
		"policy/net.rego":   "package main\n\ndeny contains msg if {\n\tresp := http.send({\"method\": \"GET\", \"url\": \"http://127.0.0.1:1\"})\n\tmsg := resp.body\n}\n",
		"policy/ok.rego":    "package main\n\nwarn contains \"configmap\" if input.kind == \"ConfigMap\"\n",
	})
	out, code, stderr := runJSON(t, []string{"check", dir, "--cluster", "m=manifests", "--offline", "--format", "json", "--policy", dir + "/policy"})
	if code != ExitFindings {
		t.Fatalf("exit %d, want 1: %s", code, stderr)
	}
	var policyErr, warned bool
	for _, f := range out.Findings {
		policyErr = policyErr || f.Rule == "policy-error" && strings.HasSuffix(f.Position.File, "net.rego") && f.Position.Line == 4 && strings.Contains(f.Message, "http.send")
		warned = warned || f.Rule == "policy-main-warn" && f.Message == "configmap"
	}
	if !policyErr {
		t.Errorf("no policy-error at net.rego:4 naming http.send: %+v", out.Findings)
	}
	if !warned {
		t.Errorf("the policy that compiles did not run: %+v", out.Findings)
	}
}

func TestPolicyTestCommand(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     string
	}{
		{name: "passing", args: []string{"../../testdata/policies/conftest/policy", "../../testdata/policies/conftest/data"}, wantCode: ExitOK, want: "4 passed, 0 failed\n"},
		{name: "failing", args: []string{"../../testdata/policies/failing"}, wantCode: ExitFindings, want: "data.main.test_fails: FAIL\n1 passed, 1 failed\n"},
		{name: "built-in rules", args: []string{"../../rules"}, wantCode: ExitOK, want: " passed, 0 failed\n"},
		{name: "missing folder", args: []string{"../../testdata/policies/nope"}, wantCode: ExitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), append([]string{"policy", "test"}, tt.args...), &stdout, &stderr)
			if code != tt.wantCode || !strings.HasSuffix(stdout.String(), tt.want) {
				t.Errorf("exit %d, output %q (stderr %q); want exit %d ending %q", code, stdout.String(), stderr.String(), tt.wantCode, tt.want)
			}
		})
	}
}
