package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runCmd runs fluxlint in-process and returns the exit code with stdout
// and stderr together.
func runCmd(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	code := Run(context.Background(), args, &out, &out)
	return code, out.String()
}

// exampleCorpus returns the path of the shared flux2-kustomize-helm-example
// repository, skipping when it is absent.
func exampleCorpus(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(corpora, "flux2-kustomize-helm-example")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	return dir
}

const secretRepo = `apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: default
stringData:
  password: hunter2-very-secret
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  copy: hunter2-very-secret
  mode: fast
`

func TestReportMasksSecrets(t *testing.T) {
	repo := writeRepo(t, map[string]string{"clusters/dev/all.yaml": secretRepo})
	file := filepath.Join(t.TempDir(), "r.html")
	if code, out := runCmd(t, "report", repo, "--offline", "--html", file); code != ExitOK {
		t.Fatalf("exit %d: %s", code, out)
	}
	page := readString(t, file)
	if strings.Contains(page, "hunter2") {
		t.Error("the report shows a secret value")
	}
	for _, want := range []string{"password: &#39;**masked**&#39;", "copy: &#39;**masked**&#39;", "mode: fast", "clusters/dev/all.yaml:9:1"} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestReportCorpus(t *testing.T) {
	dir := exampleCorpus(t)
	file := filepath.Join(t.TempDir(), "r.html")
	if code, out := runCmd(t, "report", dir, "--offline", "--html", file, "--title", "example"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, out)
	}
	page := readString(t, file)
	for _, want := range []string{
		"<title>example</title>",
		`data-cluster="c0" data-name="production" title="clusters/production">production`,
		`data-key="HelmRelease/podinfo/podinfo"`,
		`"kind":"dependsOn"}`,
		"apps/base/podinfo/release.yaml:1:1",
		`data-rule="helm-chart-unavailable"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// Self-contained: nothing is loaded from elsewhere (links to the rules'
	// documentation are only followed when clicked).
	if m := regexp.MustCompile(`(?i)(src="|url\(\s*['"]?[^#'"\s]|@import|<link)`).FindString(page); m != "" {
		t.Errorf("report loads %s", m)
	}
	if m := regexp.MustCompile(`href="(https?:)?//[^"]*"`).FindAllString(page, -1); len(m) == 0 || !strings.HasPrefix(m[0], `href="https://github.com/fluxlint/fluxlint/blob/main/docs/rules.md#`) {
		t.Errorf("links: %v, want the rules' documentation", m)
	} else {
		for _, l := range m {
			if !strings.HasPrefix(l, `href="https://github.com/fluxlint/fluxlint/blob/main/docs/rules.md#`) {
				t.Errorf("report links to %s", l)
			}
		}
	}
	// Deterministic: a second run writes the same page.
	again := filepath.Join(t.TempDir(), "r.html")
	if code, out := runCmd(t, "report", dir, "--offline", "--html", again, "--title", "example"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, out)
	}
	if readString(t, again) != page {
		t.Error("two runs wrote different reports")
	}
}

func TestReportNeedsHTML(t *testing.T) {
	code, out := runCmd(t, "report", t.TempDir())
	if code != ExitError || !strings.Contains(out, "--html FILE is required") {
		t.Errorf("exit %d, %q", code, out)
	}
}

func readString(t *testing.T, file string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
