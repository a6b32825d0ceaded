package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// subfolderSync is a flux bootstrap sync whose path is written from the
// Git root, as Flux reads it: the Flux tree is the folder gitops.
const subfolderSync = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://github.com/example/fleet
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./gitops/clusters/a
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`

// subfolderApp is a Deployment whose ConfigMap does not exist.
const subfolderApp = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27.0
          envFrom:
            - configMapRef:
                name: web-settings
`

// subfolderRepo writes a Git work tree (a .git folder is what marks it)
// whose Flux tree is the folder gitops, and returns the work tree's top.
func subfolderRepo(t *testing.T) string {
	t.Helper()
	top := writeRepo(t, map[string]string{
		".git/HEAD": "ref: refs/heads/main\n",
		"gitops/clusters/a/flux-system/gotk-sync.yaml": subfolderSync,
		"gitops/clusters/a/app.yaml":                   subfolderApp,
	})
	top, err := filepath.EvalSymlinks(top)
	if err != nil {
		t.Fatal(err)
	}
	return top
}

// bareAppPath matches the app's path when it is not named from the Git
// root (no "gitops/" before it).
var bareAppPath = regexp.MustCompile(`(^|[^/a-z])clusters/a/app\.yaml`)

// TestSubfolderPathsInEveryFormat checks the folder gitops of a Git
// repository, as fluxlint check gitops does in CI, and wants every output
// to name the files from the repository's root (gitops/clusters/...), as
// GitHub annotations and code scanning look them up.
func TestSubfolderPathsInEveryFormat(t *testing.T) {
	top := subfolderRepo(t)
	dir := filepath.Join(top, "gitops")
	out := t.TempDir()
	files := map[string]string{}
	args := []string{"check", dir, "--offline", "--no-color", "--format", "text"}
	for _, format := range []string{"json", "sarif", "github", "junit"} {
		files[format] = filepath.Join(out, "out."+format)
		args = append(args, "--format", format+"="+files[format])
	}
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), args, &stdout, &stderr); code != ExitFindings {
		t.Fatalf("exit %d, want 1 (the missing ConfigMap); stderr %s", code, stderr.String())
	}
	outputs := map[string]string{"text": stdout.String()}
	for format, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		outputs[format] = string(data)
	}
	outputs["quiet"] = runOutput(t, "check", dir, "--offline", "-q")
	html := filepath.Join(out, "report.html")
	runOutput(t, "report", dir, "--offline", "--html", html)
	data, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	outputs["html"] = string(data)
	outputs["render"] = runOutput(t, "render", dir, "--offline", "--cluster", "a")

	wants := map[string][]string{
		"text":   {"cluster a (gitops/clusters/a)", "\n  gitops/clusters/a/app.yaml\n"},
		"quiet":  {"gitops/clusters/a/app.yaml:"},
		"json":   {`"file": "gitops/clusters/a/app.yaml"`, `"path": "gitops/clusters/a"`},
		"sarif":  {`"uri": "gitops/clusters/a/app.yaml"`},
		"github": {"file=gitops/clusters/a/app.yaml,"},
		"junit":  {`file="gitops/clusters/a/app.yaml"`},
		"html":   {"gitops/clusters/a/app.yaml:", "gitops/clusters/a"},
		"render": {"# Source: gitops/clusters/a/app.yaml:1:1"},
	}
	for format, want := range wants {
		got := outputs[format]
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s output lacks %q:\n%s", format, w, got)
			}
		}
		if m := bareAppPath.FindString(got); m != "" {
			t.Errorf("%s output names the app relative to the checked folder (%q):\n%s", format, m, got)
		}
	}
	checkSARIFRoot(t, outputs["sarif"], top)
}

// checkSARIFRoot wants every SARIF location relative to %SRCROOT%, and
// %SRCROOT% given as the Git root's file URI.
func checkSARIFRoot(t *testing.T, data, top string) {
	t.Helper()
	var log struct {
		Runs []struct {
			OriginalURIBaseIDs map[string]struct {
				URI string `json:"uri"`
			} `json:"originalUriBaseIds"`
			Results []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(data), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("sarif: %v, %d runs", err, len(log.Runs))
	}
	run := log.Runs[0]
	if got, want := run.OriginalURIBaseIDs["%SRCROOT%"].URI, "file://"+filepath.ToSlash(top)+"/"; got != want {
		t.Errorf("originalUriBaseIds %%SRCROOT%% = %q, want %q", got, want)
	}
	for _, r := range run.Results {
		for _, l := range r.Locations {
			a := l.PhysicalLocation.ArtifactLocation
			if a.URIBaseID != "%SRCROOT%" || !strings.HasPrefix(a.URI, "gitops/") {
				t.Errorf("sarif location %q (base %q), want gitops/... from %%SRCROOT%%", a.URI, a.URIBaseID)
			}
		}
	}
}

// TestPathsOutsideGit checks the same tree when no Git work tree holds
// it: files are named from the checked folder, as before.
func TestPathsOutsideGit(t *testing.T) {
	top := subfolderRepo(t)
	if err := os.RemoveAll(filepath.Join(top, ".git")); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(top, "gitops")
	// Flux reads the path from the source's root: without Git, that is
	// the checked folder.
	sync := filepath.Join(dir, "clusters", "a", "flux-system", "gotk-sync.yaml")
	if err := os.WriteFile(sync, []byte(strings.Replace(subfolderSync, "./gitops/clusters/a", "./clusters/a", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	got := runOutput(t, "check", dir, "--offline", "--format", "junit")
	if err := xml.Unmarshal([]byte(got), new(struct{})); err != nil {
		t.Fatalf("junit: %v", err)
	}
	if !strings.Contains(got, `file="clusters/a/app.yaml"`) || strings.Contains(got, "gitops/") {
		t.Errorf("outside Git, files are named from the checked folder:\n%s", got)
	}
}

// runOutput runs fluxlint and returns its stdout; exit 2 fails the test.
func runOutput(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), args, &stdout, &stderr); code == ExitError {
		t.Fatalf("fluxlint %s: exit 2: %s", strings.Join(args, " "), stderr.String())
	}
	return stdout.String()
}
