package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorporaNoFalseReferenceErrors: the reference checks report no error
// on Flux's example repositories, whose references all resolve.
func TestCorporaNoFalseReferenceErrors(t *testing.T) {
	for _, name := range []string{"flux2-kustomize-helm-example", "flux2-multi-tenancy"} {
		t.Run(name, func(t *testing.T) {
			out, _ := checkCorpus(t, name)
			for _, f := range out.Findings {
				if strings.HasPrefix(f.Rule, "ref-") && f.Severity == "error" {
					t.Errorf("%s:%d: %s [%s]", f.Position.File, f.Position.Line, f.Message, f.Rule)
				}
			}
		})
	}
}

// TestExternalObjects: an object declared in .fluxlint.yaml counts as
// existing; an entry without a reason is a configuration error.
func TestExternalObjects(t *testing.T) {
	const manifest = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 1h
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
---
apiVersion: v1
kind: Pod
metadata:
  name: sync
  namespace: flux-system
spec:
  containers:
    - name: sync
      image: alpine/git:2.47.2
      envFrom:
        - secretRef:
            name: git-auth
`
	cases := []struct {
		name     string
		config   string
		wantCode int
		wantOut  string
	}{
		{name: "undeclared", config: "", wantCode: ExitFindings, wantOut: "ref-secret-missing"},
		{name: "declared", wantCode: ExitOK,
			config: "externalObjects:\n  - kind: Secret\n    namespace: flux-system\n    name: git-auth\n    reason: made by hand at bootstrap\n"},
		{name: "no reason", wantCode: ExitError,
			config: "externalObjects:\n  - kind: Secret\n    namespace: flux-system\n    name: git-auth\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTestFile(t, filepath.Join(dir, "clusters", "prod", "apps.yaml"), manifest)
			writeTestFile(t, filepath.Join(dir, "apps", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: flux-system\n")
			if c.config != "" {
				writeTestFile(t, filepath.Join(dir, ConfigFile), c.config)
			}
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), []string{"check", dir, "--cluster", "prod=clusters/prod", "--offline"}, &stdout, &stderr)
			if code != c.wantCode {
				t.Fatalf("exit %d, want %d\n%s%s", code, c.wantCode, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), c.wantOut) {
				t.Errorf("output lacks %q:\n%s", c.wantOut, stdout.String())
			}
		})
	}
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
