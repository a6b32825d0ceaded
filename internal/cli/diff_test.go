package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRun runs git in dir with a fixed identity and no user configuration.
func gitRun(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), "git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=test", "GIT_COMMITTER_EMAIL=test@example.com",
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// gitRepo makes dir a git repository with everything in it committed.
func gitRepo(t *testing.T, dir string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	gitRun(t, dir, "init", "-q", "-b", "main")
	commitAll(t, dir, "base")
}

func commitAll(t *testing.T, dir, msg string) {
	t.Helper()
	gitRun(t, dir, "add", "-A")
	gitRun(t, dir, "commit", "-q", "-m", msg)
}

const diffBase = `apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: default
stringData:
  password: old-secret-value
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  mode: slow
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: doomed
  namespace: default
data:
  a: b
`

const diffHead = `apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: default
stringData:
  password: new-secret-value
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  mode: fast
  copy: new-secret-value
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: fresh
  namespace: default
data:
  x: y
`

// diffRepo is a git repository in a subfolder of the repository root, with
// a committed base and a working tree that changes it.
func diffRepo(t *testing.T) (root, repo string) {
	t.Helper()
	root = writeRepo(t, map[string]string{"gitops/clusters/dev/all.yaml": diffBase, "README.md": "x\n"})
	gitRepo(t, root)
	repo = filepath.Join(root, "gitops")
	if err := os.WriteFile(filepath.Join(repo, "clusters/dev/all.yaml"), []byte(diffHead), 0o644); err != nil {
		t.Fatal(err)
	}
	return root, repo
}

// TestDiffText diffs the folder gitops of a Git repository: files and
// cluster folders are named from the repository's root, as check's are.
func TestDiffText(t *testing.T) {
	root, repo := diffRepo(t)
	before := treeHash(t, filepath.Join(root, ".git"))
	code, out := runCmd(t, "diff", repo, "--base", "main", "--offline")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, out)
	}
	for _, want := range []string{
		"rendered objects, main -> working tree\n",
		"cluster dev (gitops/clusters/dev): 1 added, 1 removed, 2 changed\n",
		"added   ConfigMap/default/fresh  (gitops/clusters/dev/all.yaml:18:1, by the cluster's entry folder)",
		"removed ConfigMap/default/doomed",
		"changed ConfigMap/default/settings",
		"-  mode: slow\n    +  copy: '**masked**'\n    +  mode: fast\n",
		"+  copy: '**masked**'",
		"changed Secret/default/creds  (gitops/clusters/dev/all.yaml:1:1, by the cluster's entry folder)\n    (only secret values change; they are masked)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "secret-value") {
		t.Errorf("the diff shows a secret value:\n%s", out)
	}
	if after := treeHash(t, filepath.Join(root, ".git")); after != before {
		t.Error("diff changed the .git folder")
	}
	if st := gitRun(t, root, "status", "--porcelain"); st != " M gitops/clusters/dev/all.yaml\n" {
		t.Errorf("git status after diff:\n%s", st)
	}
}

func TestDiffHeadRevisionMarkdownAndHTML(t *testing.T) {
	root, repo := diffRepo(t)
	commitAll(t, root, "head")
	file := filepath.Join(t.TempDir(), "diff.html")
	code, out := runCmd(t, "diff", repo, "--base", "HEAD~1", "--head", "HEAD", "--format", "markdown", "--html", file, "--offline")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, out)
	}
	for _, want := range []string{
		"### fluxlint: rendered objects, `HEAD~1` → `HEAD`",
		"| `dev` | 1 | 1 | 2 |",
		"<details><summary>changed <code>ConfigMap/default/settings</code> from <code>gitops/clusters/dev/all.yaml:9:1</code></summary>",
		"```diff\n--- a/ConfigMap/default/settings\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	page := readString(t, file)
	for _, want := range []string{`<section id="view-changes"`, `<span class="add">&#43;  mode: fast</span>`, `data-name="ConfigMap/default/doomed"`, `<span class="change change-added">added</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	if strings.Contains(out+page, "secret-value") {
		t.Error("a secret value is shown")
	}
}

func TestDiffSameRevision(t *testing.T) {
	_, repo := diffRepo(t)
	code, out := runCmd(t, "diff", repo, "--base", "HEAD", "--head", "HEAD", "--offline")
	if code != ExitOK || !strings.Contains(out, "cluster dev (gitops/clusters/dev): no change\n1 cluster: 0 added, 0 removed, 0 changed\n") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestDiffErrors(t *testing.T) {
	_, repo := diffRepo(t)
	notGit := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "no base", args: []string{"diff", repo}, want: "--base REV is required"},
		{name: "unknown revision", args: []string{"diff", repo, "--base", "nope"}, want: `no git revision "nope"`},
		{name: "option as revision", args: []string{"diff", repo, "--base=--output=/tmp/x"}, want: "no git revision"},
		{name: "not git", args: []string{"diff", notGit, "--base", "main"}, want: "is not in a git repository"},
		{name: "bad format", args: []string{"diff", repo, "--base", "main", "--format", "html"}, want: `unknown --format "html"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := runCmd(t, tt.args...)
			if code != ExitError || !strings.Contains(out, tt.want) || strings.Count(strings.TrimSpace(out), "\n") > 0 {
				t.Errorf("exit %d, %q; want exit 2 and one line with %q", code, out, tt.want)
			}
		})
	}
}

// TestDiffCorpus changes the values of a HelmRelease in a copy of a real
// repository and checks that only that cluster's HelmRelease changes.
func TestDiffCorpus(t *testing.T) {
	src := exampleCorpus(t)
	repo := t.TempDir()
	copyTree(t, src, repo)
	gitRepo(t, repo)
	values := filepath.Join(repo, "apps/staging/podinfo-values.yaml")
	data, err := os.ReadFile(values)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\n  values:\n") {
		t.Fatalf("corpus changed: %s has no values:\n%s", values, data)
	}
	changed := strings.Replace(string(data), "\n  values:\n", "\n  values:\n    replicaCount: 7\n", 1)
	if err := os.WriteFile(values, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runCmd(t, "diff", repo, "--base", "HEAD", "--offline")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, out)
	}
	for _, want := range []string{
		"cluster production (clusters/production): no change\n",
		"cluster staging (clusters/staging): 0 added, 0 removed, 1 changed\n",
		"blast radius: Kustomization/flux-system/apps (1 object)\n",
		"changed HelmRelease/podinfo/podinfo  (apps/base/podinfo/release.yaml:1:1, by Kustomization/flux-system/apps)",
		"+    replicaCount: 7\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestDiffFolderNewSinceBase compares a folder that the base revision does
// not have: everything in it is added.
func TestDiffFolderNewSinceBase(t *testing.T) {
	root := writeRepo(t, map[string]string{"README.md": "x\n"})
	gitRepo(t, root)
	repo := filepath.Join(root, "gitops")
	if err := os.MkdirAll(filepath.Join(repo, "clusters/dev"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(repo, "clusters/dev/all.yaml"), []byte(diffBase), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runCmd(t, "diff", repo, "--base", "main", "--offline")
	if code != ExitOK || !strings.Contains(out, "cluster dev (gitops/clusters/dev), new: 3 added, 0 removed, 0 changed\n") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}
