package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// newFromBase is a Deployment that reads a ConfigMap nobody makes: one
// error (ref-configmap-missing) and three policy warnings.
const newFromBase = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          envFrom:
            - configMapRef:
                name: settings
`

// newFromHead moves every line down (a comment above), fixes the
// ConfigMap reference by adding the ConfigMap, and reads a Secret nobody
// makes: one finding fixed, one added, three moved.
const newFromHead = `# The web front end.
# It reads its settings from the environment.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          envFrom:
            - configMapRef:
                name: settings
            - secretRef:
                name: token
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: default
data:
  mode: fast
`

// newFromRepo is a git repository whose last commit holds newFromBase and
// whose working tree holds newFromHead.
func newFromRepo(t *testing.T) (repo, file string) {
	t.Helper()
	repo = writeRepo(t, map[string]string{"clusters/dev/app.yaml": newFromBase})
	gitRepo(t, repo)
	file = filepath.Join(repo, "clusters/dev/app.yaml")
	if err := os.WriteFile(file, []byte(newFromHead), 0o644); err != nil {
		t.Fatal(err)
	}
	return repo, file
}

func TestDiffFindings(t *testing.T) {
	repo, _ := newFromRepo(t)
	commitAll(t, repo, "head")
	code, out := runCmd(t, "diff", repo, "--base", "HEAD~1", "--head", "HEAD", "--offline")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, out)
	}
	want := "findings, HEAD~1 -> HEAD: 1 added, 1 removed\n" +
		"  added   clusters/dev/app.yaml:22:17: error: Deployment/default/web: envFrom secretRef names Secret token, which does not exist in namespace default in this cluster [ref-secret-missing] (cluster dev)\n" +
		"  removed clusters/dev/app.yaml:18:17: error: Deployment/default/web: envFrom configMapRef names ConfigMap settings, which does not exist in namespace default in this cluster [ref-configmap-missing] (cluster dev, at HEAD~1)\n" +
		"rendered objects, HEAD~1 -> HEAD\n"
	if !strings.HasPrefix(out, want) {
		t.Errorf("output does not start with the findings:\n%s\nwant:\n%s", out, want)
	}

	page := filepath.Join(t.TempDir(), "diff.html")
	code, md := runCmd(t, "diff", repo, "--base", "HEAD~1", "--head", "HEAD", "--offline", "--format", "markdown", "--html", page)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, md)
	}
	for _, w := range []string{
		"### fluxlint: findings, `HEAD~1` → `HEAD`\n\n**1 added**, 1 removed",
		"| added | **error** | `clusters/dev/app.yaml:22:17` | Deployment/default/web: envFrom secretRef names Secret token",
		"| removed | error | `clusters/dev/app.yaml:18:17` |",
	} {
		if !strings.Contains(md, w) {
			t.Errorf("markdown lacks %q:\n%s", w, md)
		}
	}
	if strings.Index(md, "### fluxlint: findings") > strings.Index(md, "### fluxlint: rendered objects") {
		t.Error("markdown: the findings do not come first")
	}
	html := readString(t, page)
	for _, w := range []string{
		"<h2>Findings, <code>HEAD~1</code> → <code>HEAD</code>: 1 added, 1 removed</h2>",
		`data-rule="ref-secret-missing" data-cluster="dev"`,
		`<span class="new">new</span>`,
		`<span class="rule">[ref-configmap-missing]</span>`,
	} {
		if !strings.Contains(html, w) {
			t.Errorf("HTML report lacks %q", w)
		}
	}
	if strings.Count(html, `data-new="1"`) != 1 {
		t.Errorf("HTML report: %d findings marked new, want 1", strings.Count(html, `data-new="1"`))
	}
}

func TestCheckNewFromRev(t *testing.T) {
	repo, file := newFromRepo(t)
	before := treeHash(t, filepath.Join(repo, ".git"))

	// Without the flag: four old findings (moved) and the new one.
	code, out := runCmd(t, "check", repo, "--offline", "-q", "--no-cache")
	if code != ExitFindings || strings.Count(out, "\n") != 4 {
		t.Fatalf("plain check: exit %d:\n%s", code, out)
	}

	code, out = runCmd(t, "check", repo, "--offline", "--no-cache", "--new-from-rev", "HEAD", "--format", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, out)
	}
	note, jsonOut, _ := strings.Cut(out, "\n") // the note on stderr comes before the report
	var doc struct {
		Findings []struct {
			Rule     string `json:"rule"`
			Position struct{ Line int }
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(jsonOut), &doc); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	if len(doc.Findings) != 1 || doc.Findings[0].Rule != "ref-secret-missing" || doc.Findings[0].Position.Line != 22 {
		t.Errorf("findings = %+v, want the new ref-secret-missing only", doc.Findings)
	}
	if !strings.Contains(note, "3 findings already at HEAD not shown (--new-from-rev)") {
		t.Errorf("stderr note missing: %q", note)
	}

	// A change that only moves old findings has none to show.
	if err := os.WriteFile(file, []byte("# a comment\n"+newFromBase), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out = runCmd(t, "check", repo, "--offline", "--no-cache", "-q", "--new-from-rev", "HEAD")
	if code != ExitOK || out != "" {
		t.Errorf("moved findings only: exit %d:\n%s", code, out)
	}
	if after := treeHash(t, filepath.Join(repo, ".git")); after != before {
		t.Error("--new-from-rev changed the .git folder")
	}
	if st := gitRun(t, repo, "status", "--porcelain"); st != " M clusters/dev/app.yaml\n" {
		t.Errorf("git status after check:\n%s", st)
	}

	code, out = runCmd(t, "check", repo, "--offline", "--new-from-rev", "nope")
	if code != ExitError || !strings.Contains(out, `--new-from-rev: no git revision "nope"`) || strings.Count(out, "\n") != 1 {
		t.Errorf("unknown revision: exit %d: %q", code, out)
	}
}

// TestNewFindingsInSubfolder runs diff and check --new-from-rev on the
// folder gitops of a Git repository: findings are compared in the folder's
// terms and named from the repository's root, and the HTML report still
// marks the added one.
func TestNewFindingsInSubfolder(t *testing.T) {
	top := writeRepo(t, map[string]string{"gitops/clusters/dev/app.yaml": newFromBase})
	gitRepo(t, top)
	if err := os.WriteFile(filepath.Join(top, "gitops/clusters/dev/app.yaml"), []byte(newFromHead), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(top, "gitops")
	page := filepath.Join(t.TempDir(), "diff.html")
	code, out := runCmd(t, "diff", dir, "--base", "HEAD", "--offline", "--html", page)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, out)
	}
	for _, w := range []string{
		"findings, HEAD -> working tree: 1 added, 1 removed\n",
		"  added   gitops/clusters/dev/app.yaml:22:17: error: ",
		"  removed gitops/clusters/dev/app.yaml:18:17: error: ",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("diff output lacks %q:\n%s", w, out)
		}
	}
	if html := readString(t, page); strings.Count(html, `data-new="1"`) != 1 {
		t.Errorf("HTML report: %d findings marked new, want 1", strings.Count(html, `data-new="1"`))
	}
	code, out = runCmd(t, "check", dir, "--offline", "--no-cache", "--new-from-rev", "HEAD", "-q")
	if code != ExitFindings || strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "gitops/clusters/dev/app.yaml:22:17: error") {
		t.Errorf("check --new-from-rev: exit %d, want 1 and the one new finding from the Git root:\n%s", code, out)
	}
}
