package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCorpusInjectedDefects injects defects into a copy of a real
// repository, one file each, and wants each found at the line to edit: a
// sourceRef in flux bootstrap's gotk-sync.yaml that names another source
// than the file defines, and a rolling update's maxUnavailable that is
// neither an integer nor a percentage.
func TestCorpusInjectedDefects(t *testing.T) {
	src := filepath.Join(corpora, "gitops-fluxcd-demo")
	if _, err := os.Stat(src); err != nil {
		t.Skip("corpus not available")
	}
	dir := t.TempDir()
	copyTree(t, src, dir)
	edit := func(rel, old, replacement string) { t.Helper(); editFile(t, dir, rel, old, replacement) }
	sync := "fluxcd/clusters/base/flux-system/gotk-sync.yaml"
	edit(sync, "  sourceRef:\n    kind: GitRepository\n    name: flux-system", "  sourceRef:\n    kind: GitRepository\n    name: flux-systme")
	whoami := "fluxcd/services/base/whoami/whoami.yaml"
	edit(whoami, "spec:\n  selector:\n    matchLabels:\n      app: whoami", "spec:\n  strategy:\n    rollingUpdate:\n      maxUnavailable: one\n  selector:\n    matchLabels:\n      app: whoami")

	out, _, stderr := runJSON(t, []string{"check", dir, "--offline", "--no-cache", "--format", "json"})
	want := []struct{ rule, file, msg string }{
		{"flux-source-missing", sync + ":27", "names GitRepository flux-system/flux-systme, which this cluster does not define; did you mean flux-system?"},
		{"schema-invalid", whoami + ":11", `"one" is neither an integer nor a percentage`},
	}
	for _, w := range want {
		found := false
		for _, f := range out.Findings {
			at := fmt.Sprintf("%s:%d", f.Position.File, f.Position.Line)
			if f.Rule == w.rule && f.Severity == "error" && at == w.file && strings.Contains(f.Message, w.msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s error at %s saying %q (stderr: %s)", w.rule, w.file, w.msg, stderr)
		}
	}
}

// editFile replaces the first old in the file rel of dir.
func editFile(t *testing.T, dir, rel, old, replacement string) {
	t.Helper()
	p := filepath.Join(dir, rel)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not hold %q", rel, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), old, replacement, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCorpusOperatorMadeNames injects into a copy of buroa-k8s-gitops a
// misspelt name of what grafana-operator makes for its Grafana (the
// PersistentVolumeClaim grafana-pvc): once "unknown", since an operator
// may make anything named after its resource, it is now an error with the
// name the operator does make, while the clean copy has none.
func TestCorpusOperatorMadeNames(t *testing.T) {
	src := filepath.Join(corpora, "buroa-k8s-gitops")
	if _, err := os.Stat(src); err != nil {
		t.Skip("corpus not available")
	}
	dir := t.TempDir()
	copyTree(t, src, dir)
	grafana := "kubernetes/apps/observability/grafana-operator/instance/grafana.yaml"
	editFile(t, dir, grafana, "claimName: grafana-pvc", "claimName: grafana-pcv")
	out, _, stderr := runJSON(t, []string{"check", dir, "--offline", "--no-cache", "--format", "json"})
	found := false
	for _, f := range out.Findings {
		if f.Rule == "ref-pvc-missing" && f.Severity == "error" && f.Position.File == grafana && f.Position.Line == 59 &&
			strings.Contains(f.Message, "grafana-pcv") {
			found = true
		}
	}
	if !found {
		t.Errorf("no ref-pvc-missing error at %s:59 naming grafana-pcv (stderr: %s)", grafana, stderr)
	}
}

// TestCorpusScriptMadeSecret adds to a copy of d2-fleet a substituteFrom
// of the Secret github-auth, which the repository's Makefile creates with
// kubectl at bootstrap, and one of a Secret nothing creates: the first is
// information that points at the Makefile's line, the second an error.
func TestCorpusScriptMadeSecret(t *testing.T) {
	src := filepath.Join(corpora, "d2-fleet")
	if _, err := os.Stat(src); err != nil {
		t.Skip("corpus not available")
	}
	dir := t.TempDir()
	copyTree(t, src, dir)
	tenants := "clusters/staging/tenants.yaml"
	editFile(t, dir, tenants, "        name: flux-runtime-info",
		"        name: flux-runtime-info\n      - kind: Secret\n        name: github-auth\n      - kind: Secret\n        name: github-authz")
	out, _, stderr := runJSON(t, []string{"check", dir, "--offline", "--no-cache", "--format", "json"})
	var made, missing bool
	for _, f := range out.Findings {
		if f.Rule != "render-substitute-from-missing" || f.Position.File != tenants {
			continue
		}
		switch {
		case f.Position.Line == 20 && f.Severity == "info" && strings.Contains(f.Message, "Makefile:84"):
			made = true
		case f.Position.Line == 22 && f.Severity == "error":
			missing = true
		}
	}
	if !made || !missing {
		t.Errorf("want information for github-auth at %s:20 (Makefile:84) and an error for github-authz at :22; got made=%v missing=%v (stderr: %s)",
			tenants, made, missing, stderr)
	}
}
