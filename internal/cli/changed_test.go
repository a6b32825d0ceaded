package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// gitRepoOf copies a corpus into a temporary folder and commits it in a
// new Git repository.
// gitRepoOf copies a corpus into a new Git repository; without the
// corpus (the shared folder is not everywhere), the test is skipped.
func gitRepoOf(t *testing.T, corpus string) string {
	t.Helper()
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus %s not available: %v", corpus, err)
	}
	dir := filepath.Join(t.TempDir(), "repo")
	copyTree(t, corpus, dir)
	gitRepo(t, dir)
	return dir
}

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// checkedClusters runs check --changed-since with JSON output and returns
// the exit code, the names of the clusters checked and stderr.
func checkedClusters(t *testing.T, args ...string) (int, []string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), append([]string{"check", "--offline", "-o", "json"}, args...), &stdout, &stderr)
	var rep struct {
		Clusters []struct{ Name string } `json:"clusters"`
	}
	names := []string{}
	if stdout.Len() > 0 {
		if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, stdout.String())
		}
	}
	for _, c := range rep.Clusters {
		names = append(names, c.Name)
	}
	return code, names, stderr.String()
}

func TestChangedSince(t *testing.T) {
	repo := gitRepoOf(t, "../../../shared/corpora/flux2-kustomize-helm-example")
	// Nothing changed: no cluster is checked, and that is no failure.
	code, names, stderr := checkedClusters(t, repo, "--changed-since", "main")
	if code != ExitOK || len(names) != 0 || !strings.Contains(stderr, "0 of 2 clusters affected by 0 changed files since main; 2 skipped") {
		t.Fatalf("unchanged: exit %d, clusters %v, stderr %q", code, names, stderr)
	}

	// A file that no cluster reaches.
	appendTo(t, filepath.Join(repo, "README.md"), "more\n")
	if code, names, stderr := checkedClusters(t, repo, "--changed-since", "main"); code != ExitOK || len(names) != 0 ||
		!strings.Contains(stderr, "0 of 2 clusters affected by 1 changed files since main") {
		t.Fatalf("README.md: exit %d, clusters %v, stderr %q", code, names, stderr)
	}

	// A file of the staging overlay only.
	appendTo(t, filepath.Join(repo, "apps", "staging", "podinfo-values.yaml"), "# changed\n")
	code, names, stderr = checkedClusters(t, repo, "--changed-since", "main")
	if !slices.Equal(names, []string{"staging"}) || !strings.Contains(stderr, "1 of 2 clusters affected by 2 changed files since main; 1 skipped") {
		t.Fatalf("staging overlay: exit %d, clusters %v, stderr %q", code, names, stderr)
	}

	// A commit does not hide a change from an older revision; an
	// untracked file under production's folder affects production.
	gitRun(t, repo, "commit", "-q", "-a", "-m", "staging")
	appendTo(t, filepath.Join(repo, "clusters", "production", "new.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\n  namespace: default\n")
	if _, names, stderr := checkedClusters(t, repo, "--changed-since", "HEAD~1"); !slices.Equal(names, []string{"production", "staging"}) {
		t.Fatalf("since HEAD~1: clusters %v, stderr %q", names, stderr)
	}
	if _, names, stderr := checkedClusters(t, repo, "--changed-since", "HEAD"); !slices.Equal(names, []string{"production"}) {
		t.Fatalf("untracked file: clusters %v, stderr %q", names, stderr)
	}
	if err := os.Remove(filepath.Join(repo, "clusters", "production", "new.yaml")); err != nil {
		t.Fatal(err)
	}

	// A file of the base that both overlays use.
	appendTo(t, filepath.Join(repo, "apps", "base", "podinfo", "release.yaml"), "# changed\n")
	if _, names, stderr := checkedClusters(t, repo, "--changed-since", "HEAD"); !slices.Equal(names, []string{"production", "staging"}) {
		t.Fatalf("shared base: clusters %v, stderr %q", names, stderr)
	}
	gitRun(t, repo, "checkout", "-q", "--", "apps/base")

	// The configuration affects every cluster.
	appendTo(t, filepath.Join(repo, ConfigFile), "failOn: error\n")
	if _, names, stderr := checkedClusters(t, repo, "--changed-since", "HEAD"); len(names) != 2 {
		t.Fatalf(".fluxlint.yaml: clusters %v, stderr %q", names, stderr)
	}

	// -q leaves the summary out.
	if _, _, stderr := checkedClusters(t, repo, "--changed-since", "HEAD", "-q"); strings.Contains(stderr, "clusters affected") {
		t.Fatalf("-q printed %q", stderr)
	}

}

func TestChangedSinceWritesNothing(t *testing.T) {
	repo := gitRepoOf(t, "../../../shared/corpora/flux2-kustomize-helm-example")
	// A file whose modification time changed but not its content leaves the
	// index's stat cache stale: git status would rewrite the index.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(filepath.Join(repo, "README.md"), later, later); err != nil {
		t.Fatal(err)
	}
	index := filepath.Join(repo, ".git", "index")
	before, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := checkedClusters(t, repo, "--changed-since", "main"); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	after, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Fatal("check --changed-since rewrote .git/index")
	}
}

func TestChangedSinceSubfolderAndErrors(t *testing.T) {
	repo := gitRepoOf(t, "../../../shared/corpora/flux2-kustomize-helm-example")
	// The repository checked is a subfolder of the work tree: paths are
	// relative to it, and changes outside it are not its own.
	top := filepath.Dir(repo)
	gitRun(t, top, "init", "-q", "-b", "main")
	if err := os.RemoveAll(filepath.Join(repo, ".git")); err != nil {
		t.Fatal(err)
	}
	appendTo(t, filepath.Join(top, "other.txt"), "x\n")
	gitRun(t, top, "add", "-A")
	gitRun(t, top, "commit", "-q", "-m", "initial")
	appendTo(t, filepath.Join(repo, "apps", "production", "podinfo-values.yaml"), "# changed\n")
	appendTo(t, filepath.Join(top, "other.txt"), "y\n")
	code, names, stderr := checkedClusters(t, repo, "--changed-since", "HEAD")
	if !slices.Equal(names, []string{"production"}) || !strings.Contains(stderr, "1 of 2 clusters affected by 1 changed files since HEAD") {
		t.Fatalf("subfolder: exit %d, clusters %v, stderr %q", code, names, stderr)
	}

	if code, _, stderr := checkedClusters(t, repo, "--changed-since", "no-such-rev"); code != ExitError || !strings.Contains(stderr, `no Git revision "no-such-rev"`) {
		t.Fatalf("bad revision: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := checkedClusters(t, repo, "--changed-since", "--output=x"); code != ExitError || !strings.Contains(stderr, "no Git revision") {
		t.Fatalf("option as revision: exit %d, stderr %q", code, stderr)
	}
	notGit := writeRepo(t, map[string]string{"clusters/a/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"})
	if code, _, stderr := checkedClusters(t, notGit, "--changed-since", "main"); code != ExitError || !strings.Contains(stderr, "not in a Git work tree") {
		t.Fatalf("not a Git work tree: exit %d, stderr %q", code, stderr)
	}
}
