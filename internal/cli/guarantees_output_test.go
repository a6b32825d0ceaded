package cli

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/termsafe"
)

// hostileNames is a repository whose file name, object name, field name
// and value hold a terminal escape, a GitHub workflow command after a line
// break, and bidirectional overrides.
func hostileNames(t *testing.T) string {
	t.Helper()
	return writeRepo(t, map[string]string{
		"clusters/dev/apps.yaml": `apiVersion: kustomize.toolkit.fluxcd.io/v1
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
		"apps/evil\x1b[2J\u202e.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: "web\e]0;pwned\a\n::error::forged\u202e"
  namespace: "ns\n::add-mask::x"
spec:
  "replicas\e[31m\u2066": "three\e[2J\n::warning::forged"
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: "nginx:\e[1m\u202elatest"
`,
	})
}

// ansiOwn matches the colour codes the text printer writes itself.
var ansiOwn = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// TestHumanOutputHoldsNoControlCharacters checks every human-facing format
// on a repository with hostile names: no raw control character or
// bidirectional override reaches the output (the printers' own line breaks
// and colours excepted), no line of text output can be a GitHub workflow
// command, and JUnit output is valid XML.
func TestHumanOutputHoldsNoControlCharacters(t *testing.T) {
	repo := hostileNames(t)
	junit := filepath.Join(t.TempDir(), "junit.xml")
	summary := filepath.Join(t.TempDir(), "summary.md")
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	outputs := map[string]string{}
	for name, args := range map[string][]string{
		"text":   {"-o", "text"},
		"quiet":  {"-q"},
		"github": {"-o", "github", "-o", "junit=" + junit},
	} {
		var stdout, stderr bytes.Buffer
		code := Run(context.Background(), append([]string{"check", repo, "--offline"}, args...), &stdout, &stderr)
		if code != ExitFindings {
			t.Fatalf("%s: exit %d, want 1 (findings): %s", name, code, stderr.String())
		}
		outputs[name] = stdout.String() + stderr.String()
	}
	for _, file := range []string{junit, summary} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		outputs[filepath.Base(file)] = string(data)
	}
	if err := xml.Unmarshal([]byte(outputs["junit.xml"]), new(struct{})); err != nil {
		t.Errorf("junit output is not XML: %v", err)
	}
	if !strings.Contains(outputs["text"], "forged") {
		t.Fatalf("the findings do not quote the hostile names, so this test proves nothing:\n%s", outputs["text"])
	}
	for name, out := range outputs {
		for i, line := range strings.Split(ansiOwn.ReplaceAllString(out, ""), "\n") {
			keep := strings.TrimSuffix(line, "\r") // junit and the summary may keep a CR of a message
			if !termsafe.Clean(keep) {
				t.Errorf("%s, line %d holds a control character: %q", name, i+1, line)
			}
			if name != "github" && strings.HasPrefix(strings.TrimSpace(line), "::") {
				t.Errorf("%s, line %d is a workflow command: %q", name, i+1, line)
			}
			if name == "github" && line != "" && !regexp.MustCompile(`^::(error|warning|notice) `).MatchString(line) {
				t.Errorf("github, line %d is not an annotation: %q", i+1, line)
			}
		}
	}
}
