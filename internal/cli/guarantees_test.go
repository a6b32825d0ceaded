package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// treeHash hashes every path, mode and content below dir.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		h.Write([]byte(rel + "\x00" + info.Mode().String() + "\x00"))
		if d.Type().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			h.Write(data)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// copyTree copies a folder of regular files.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestRepositoryIsNeverWritten runs every command on read-only copies of a
// corpus and of a repository with a local chart, and checks that no file
// is created or changed.
func TestRepositoryIsNeverWritten(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Log("running as root: read-only modes do not stop writes, so the tree hash is what proves it")
	}
	corpus := filepath.Join(corpora, "gitops-fluxcd-demo")
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("corpus not available")
	}
	repo := filepath.Join(t.TempDir(), "repo")
	copyTree(t, corpus, repo)
	before := treeHash(t, repo)
	for _, args := range [][]string{
		{"check", repo, "--offline"},
		{"check", repo, "--offline", "--format", "sarif"},
		{"render", repo, "--cluster", "fluxcd/clusters/localhost", "--offline"},
		{"render", repo, "--helmrelease", "example/whoami-helmchart", "--offline"},
	} {
		var stdout, stderr bytes.Buffer
		if code := Run(context.Background(), args, &stdout, &stderr); code == ExitError {
			t.Fatalf("%v: exit 2: %s", args, stderr.String())
		}
	}
	if after := treeHash(t, repo); after != before {
		t.Error("the checked repository changed")
	}
}

// TestOfflineNeverDials points a chart repository at a listener on
// 127.0.0.1 that counts connections and checks that --offline makes none.
func TestOfflineNeverDials(t *testing.T) {
	ln, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var accepted atomic.Int64
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			c.Close()
		}
	}()
	files := helmRepo("http://" + ln.Addr().String())
	files["apps/oci.yaml"] = `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata:
  name: oci
spec:
  interval: 1h
  url: oci://` + ln.Addr().String() + `/charts/demo
  ref:
    semver: 1.x
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: from-oci
spec:
  interval: 1h
  chartRef:
    kind: OCIRepository
    name: oci
`
	files["apps/kustomization.yaml"] = strings.Replace(files["apps/kustomization.yaml"], "  - release.yaml\n", "  - release.yaml\n  - oci.yaml\n", 1)
	repo := writeRepo(t, files)
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), []string{"check", repo, "--offline", "--cache-dir", t.TempDir(), "--no-color"}, &stdout, &stderr)
	if code == ExitError {
		t.Fatalf("exit 2: %s", stderr.String())
	}
	if n := accepted.Load(); n != 0 {
		t.Errorf("--offline made %d connections", n)
	}
	if got := strings.Count(stdout.String(), "[helm-chart-unavailable]"); got != 2 {
		t.Errorf("%d helm-chart-unavailable findings, want 2 (HTTP and OCI):\n%s", got, stdout.String())
	}
}

// TestSecretValuesAreNeverPrinted plants marker values in Secrets (data,
// stringData, a Secret read by valuesFrom and one read by substituteFrom)
// and looks for them, plain and base64-encoded, in every output format and
// in fluxlint render.
func TestSecretValuesAreNeverPrinted(t *testing.T) {
	const marker = "s3cr3t-MARKER-value"
	encoded := base64.StdEncoding.EncodeToString([]byte(marker))
	files := map[string]string{
		"clusters/dev/apps.yaml": `apiVersion: v1
kind: Secret
metadata:
  name: vars
  namespace: flux-system
stringData:
  token: ` + marker + `
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  targetNamespace: default
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substituteFrom:
      - kind: Secret
        name: vars
`,
		"apps/secrets.yaml": `apiVersion: v1
kind: Secret
metadata:
  name: plain
data:
  password: ` + encoded + `
stringData:
  other: ` + marker + `
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: uses-var
data:
  # a substituted secret value lands in a ConfigMap field that is invalid
  count: ${token}
  missing: ${not_defined}
`,
	}
	// A chart that copies a value read from a Secret by valuesFrom into a
	// ConfigMap.
	files["apps/release.yaml"] = `apiVersion: v1
kind: Secret
metadata:
  name: chart-values
stringData:
  values.yaml: |
    password: ` + marker + `-chart
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
spec:
  interval: 1h
  chart:
    spec:
      chart: ./charts/app
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  valuesFrom:
    - kind: Secret
      name: chart-values
`
	files["charts/app/Chart.yaml"] = "apiVersion: v2\nname: app\nversion: 0.1.0\n"
	files["charts/app/templates/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: copied\ndata:\n  password: {{ .Values.password }}\n"
	repo := writeRepo(t, files)
	dir := t.TempDir()
	cache := t.TempDir()
	runs := [][]string{
		{"check", repo, "--offline", "--no-color", "--cache-dir", cache},
		{"check", repo, "--offline", "--format", "json", "--cache-dir", cache},
		{"check", repo, "--offline", "--format", "sarif"},
		{"check", repo, "--offline", "--format", "github"},
		{"check", repo, "--offline", "--format", "junit=" + filepath.Join(dir, "junit.xml"), "--format", "text"},
		{"render", repo, "--cluster", "dev", "--offline"},
	}
	for _, args := range runs {
		var stdout, stderr bytes.Buffer
		Run(context.Background(), args, &stdout, &stderr)
		out := stdout.String() + stderr.String()
		if data, err := os.ReadFile(filepath.Join(dir, "junit.xml")); err == nil {
			out += string(data)
		}
		if strings.Contains(out, marker) || strings.Contains(out, encoded) {
			t.Errorf("%v printed a secret value:\n%s", args, out)
		}
		if args[0] == "render" && (!strings.Contains(out, "name: copied") || !strings.Contains(out, "count: '**masked**'")) {
			t.Errorf("render did not render the chart or the substituted value, so the test proves nothing:\n%s", out)
		}
	}
	// Nor are they kept in plain text in the cache folder, where check
	// keeps builds, rendered charts and findings.
	kept := 0
	err := filepath.WalkDir(cache, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		kept++
		data, err := os.ReadFile(p)
		if err == nil && (bytes.Contains(data, []byte(marker)) || bytes.Contains(data, []byte(encoded))) {
			t.Errorf("cache file %s holds a secret value in plain text", p)
		}
		return err
	})
	if err != nil || kept < 3 {
		t.Errorf("the cache holds %d files (%v): want builds, charts and findings, or the test proves nothing", kept, err)
	}
}

// TestOutputIsByteIdentical runs the same check ten times.
func TestOutputIsByteIdentical(t *testing.T) {
	dir := filepath.Join(corpora, "flux2-multi-tenancy")
	if _, err := os.Stat(dir); err != nil {
		t.Skip("corpus not available")
	}
	var first []byte
	for i := range 10 {
		var stdout, stderr bytes.Buffer
		Run(context.Background(), []string{"check", dir, "--offline", "--format", "sarif"}, &stdout, &stderr)
		if i == 0 {
			first = stdout.Bytes()
			continue
		}
		if !bytes.Equal(first, stdout.Bytes()) {
			t.Fatalf("run %d differs from the first", i+1)
		}
	}
}
