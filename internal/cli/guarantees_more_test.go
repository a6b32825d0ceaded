package cli

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// chmodTree makes every file and folder below dir read-only (or writable
// again, so that t.TempDir can remove it).
func chmodTree(t *testing.T, dir string, writable bool) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink != 0 {
			return err
		}
		mode := fs.FileMode(0o444)
		if d.IsDir() {
			mode = 0o555
		}
		if writable {
			mode |= 0o200
		}
		return os.Chmod(p, mode)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// localChartRepo is a repository with a Kustomization and a HelmRelease of
// a chart in the repository, so a check renders both.
func localChartRepo(t *testing.T) string {
	t.Helper()
	return writeRepo(t, map[string]string{
		"clusters/dev/apps.yaml": "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n",
		"apps/release.yaml":      "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\n  namespace: default\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: ./charts/app\n      sourceRef:\n        kind: GitRepository\n        name: flux-system\n        namespace: flux-system\n  values:\n    replicas: two\n",
		"apps/config.yaml":       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\nimmutable: \"yes\"\n",
		"charts/app/Chart.yaml":  "apiVersion: v2\nname: app\nversion: 0.1.0\n",
		"charts/app/templates/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  replicas: {{ .Values.replicas }}\n" +
			"  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec: {containers: [{name: a, image: nginx}]}\n",
	})
}

// TestReadOnlyRepositoryWithHelmReleases checks and renders a read-only
// copy of a repository with a HelmRelease and compares its tree hash. As
// root the modes stop nothing, so the hash is the proof.
func TestReadOnlyRepositoryWithHelmReleases(t *testing.T) {
	repo := localChartRepo(t)
	chmodTree(t, repo, false)
	t.Cleanup(func() { chmodTree(t, repo, true) })
	before := treeHash(t, repo)
	for _, args := range [][]string{
		{"check", repo, "--offline", "--format", "json"},
		{"render", repo, "--cluster", "dev", "--offline"},
		{"render", repo, "--helmrelease", "default/app", "--offline"},
	} {
		var stdout, stderr bytes.Buffer
		if code := Run(context.Background(), append(args, "--cache-dir", t.TempDir()), &stdout, &stderr); code == ExitError {
			t.Fatalf("%v: exit 2: %s", args, stderr.String())
		}
		if args[0] == "render" && !bytes.Contains(stdout.Bytes(), []byte("kind: Deployment")) {
			t.Fatalf("%v rendered no chart, so the test proves nothing:\n%s", args, stdout.String())
		}
	}
	if after := treeHash(t, repo); after != before {
		t.Error("the checked repository changed")
	}
}

// TestOutputIsByteIdenticalAcrossGOMAXPROCS runs a check with a HelmRelease
// ten times in JSON and SARIF, alternating GOMAXPROCS between 1 and 2 (it
// is per process, so it is set in this one), and compares each run's bytes
// with the first.
func TestOutputIsByteIdenticalAcrossGOMAXPROCS(t *testing.T) {
	repo := localChartRepo(t)
	cache := t.TempDir()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	outputs := func() []byte {
		var all []byte
		for _, format := range []string{"json", "sarif"} {
			var stdout, stderr bytes.Buffer
			Run(context.Background(), []string{"check", repo, "--offline", "--cache-dir", cache, "--format", format}, &stdout, &stderr)
			all = append(all, stdout.Bytes()...)
		}
		return all
	}
	var first []byte
	for i := range 10 {
		procs := 1 + i%2
		runtime.GOMAXPROCS(procs)
		out := outputs()
		if i == 0 {
			first = out
			if !bytes.Contains(out, []byte("schema-invalid")) {
				t.Fatalf("no findings, so the test proves little:\n%s", out)
			}
			continue
		}
		if !bytes.Equal(first, out) {
			t.Fatalf("run %d (GOMAXPROCS=%d) differs from the first", i+1, procs)
		}
	}
}
