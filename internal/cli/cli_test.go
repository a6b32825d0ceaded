package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeRepo writes files into a new temporary repository.
func writeRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const warningRepo = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: OCIRepository
    name: remote
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: remote
  namespace: flux-system
spec:
  interval: 10m
  url: oci://example.com/apps
  ref:
    tag: latest
`

func TestUsageErrors(t *testing.T) {
	repo := writeRepo(t, map[string]string{"clusters/a/sync.yaml": warningRepo})
	cases := []struct {
		name string
		args []string
		// config, when set, is written as .fluxlint.yaml.
		config string
		want   string
	}{
		{name: "unknown format", args: []string{"check", repo, "--format", "xml"}, want: `unknown format "xml"`},
		{name: "unknown Kubernetes version", args: []string{"check", repo, "--kubernetes-version", "1.2"}, want: "1.33"},
		{name: "missing repository", args: []string{"check", filepath.Join(repo, "nope")}, want: "no such file"},
		{name: "unknown cluster folder", args: []string{"check", repo, "--cluster", "x=nowhere"}, want: `folder "nowhere" not found`},
		{name: "bad fail-on", args: []string{"check", repo, "--fail-on", "fatal"}, want: "--fail-on"},
		{name: "unknown config key", args: []string{"check", repo}, config: "kubernetesVersion: \"1.35\"\nclustrs: []\n", want: "line 2"},
		{name: "render without cluster", args: []string{"render", repo}, want: "--cluster or --helmrelease is required"},
		{name: "render of an unknown cluster", args: []string{"render", repo, "--cluster", "zzz"}, want: "clusters: a"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := filepath.Join(repo, ConfigFile)
			os.Remove(cfg)
			if c.config != "" {
				if err := os.WriteFile(cfg, []byte(c.config), 0o644); err != nil {
					t.Fatal(err)
				}
				defer os.Remove(cfg)
			}
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), c.args, &stdout, &stderr)
			if code != ExitError {
				t.Fatalf("exit %d, want 2; stderr: %s", code, stderr.String())
			}
			msg := stderr.String()
			if !strings.Contains(msg, c.want) || strings.Count(strings.TrimSpace(msg), "\n") != 0 {
				t.Errorf("stderr %q: want one line containing %q", msg, c.want)
			}
		})
	}
}

func TestFailOn(t *testing.T) {
	repo := writeRepo(t, map[string]string{"clusters/a/sync.yaml": warningRepo})
	cases := []struct {
		name   string
		failOn string
		want   int
	}{
		{name: "default fails on errors only", want: ExitOK},
		{name: "warning", failOn: "warning", want: ExitFindings},
		{name: "none", failOn: "none", want: ExitOK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"check", repo}
			if c.failOn != "" {
				args = append(args, "--fail-on", c.failOn)
			}
			var stdout, stderr bytes.Buffer
			if code := Run(context.Background(), args, &stdout, &stderr); code != c.want {
				t.Errorf("exit %d, want %d\n%s%s", code, c.want, stdout.String(), stderr.String())
			}
			if !strings.Contains(stdout.String(), "flux-source-unavailable") {
				t.Errorf("the OCIRepository warning is missing:\n%s", stdout.String())
			}
		})
	}
}

func TestRulesCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), []string{"rules"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	for _, id := range []string{"render-unresolved-variable", "schema-unknown-field", "yaml-syntax"} {
		if !strings.Contains(stdout.String(), id) {
			t.Errorf("rules lacks %s", id)
		}
	}
	stdout.Reset()
	if code := Run(context.Background(), []string{"rules", "explain", "schema-api-version"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("explain: exit %d", code)
	}
	if !strings.Contains(stdout.String(), "Fix:") {
		t.Errorf("explain output lacks the fix:\n%s", stdout.String())
	}
	if code := Run(context.Background(), []string{"rules", "explain", "nope"}, &stdout, &stderr); code != ExitError {
		t.Errorf("explain of an unknown rule: exit %d, want 2", code)
	}
}
