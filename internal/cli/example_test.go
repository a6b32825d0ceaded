package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// exampleRepo is the example repository the README's run command checks,
// relative to this package.
const exampleRepo = "../../examples/flux-repo"

// exampleFindings are the deliberate mistakes of the example repository,
// each as rule, file relative to the example, and line.
var exampleFindings = []string{
	"schema-unknown-field apps/base/podinfo/helmrelease.yaml:15",
	"render-unresolved-variable apps/base/podinfo/ingress.yaml:7",
	"ref-port-missing apps/base/podinfo/ingress.yaml:16",
}

// TestExampleRepository checks the example repository end to end: its
// one cluster renders, with its HelmRelease, and the deliberate mistakes
// are its only findings.
func TestExampleRepository(t *testing.T) {
	out, _, code := checkDir(t, exampleRepo, "--no-cache")
	if code != ExitFindings {
		t.Errorf("exit %d, want 1", code)
	}
	if len(out.Clusters) != 1 || out.Clusters[0].Name != "production" || out.Clusters[0].Kustomizations != 2 ||
		out.Clusters[0].HelmReleases != 1 || out.Clusters[0].Rendered != 1 {
		t.Errorf("clusters %+v, want production with 2 Kustomizations and its HelmRelease rendered", out.Clusters)
	}
	var got []string
	for _, f := range out.Findings {
		// Inside a Git work tree, files are named from its top.
		file := f.Position.File[strings.Index(f.Position.File, "apps/"):]
		got = append(got, f.Rule+" "+file+":"+strconv.Itoa(f.Position.Line))
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(exampleFindings))
	if !slices.Equal(got, want) {
		t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// setupCommands returns the two commands of the README's Set-up section:
// the one that builds and runs fluxlint, and the one that runs the tests.
func setupCommands(t *testing.T, readme string) (run, test string) {
	t.Helper()
	_, section, ok := strings.Cut(readme, "\n## Set-up\n")
	if !ok {
		t.Fatal("the README has no Set-up section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := regexp.MustCompile("(?s)```sh\n(.*?)\n```").FindAllStringSubmatch(section, -1)
	if len(blocks) != 2 {
		t.Fatalf("the Set-up section has %d sh blocks, want the run and the test command", len(blocks))
	}
	return strings.TrimSpace(blocks[0][1]), strings.TrimSpace(blocks[1][1])
}

// TestFreshClone clones the repository into a temporary folder with
// nothing beside it (no ../shared) and runs the README's run command
// there with sh, as a new user would: it must build fluxlint, install it
// and check the example repository, printing its findings, with exit 0.
// The clone is of the committed HEAD. The Go module cache must hold the
// dependencies: the build runs with GOPROXY=off, and never uses the
// network. -short skips it (the first build compiles fluxlint's own
// packages; later ones find them in the build cache).
func TestFreshClone(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no build of a clone")
	}
	top, err := exec.CommandContext(t.Context(), "git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not a git checkout (or no git): %v", err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	run, test := setupCommands(t, string(readme))
	if test != "go test -race -timeout 30m ./..." {
		t.Errorf("README's test command is %q", test)
	}
	if ci, err := os.ReadFile("../../.ci/run"); err != nil || !strings.Contains(string(ci), "\n"+test+"\n") {
		t.Errorf(".ci/run does not run the README's test command %q (%v)", test, err)
	}
	if strings.Contains(run, "../") {
		t.Errorf("the run command reads outside the clone: %s", run)
	}
	modcache, err := exec.CommandContext(t.Context(), "go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	clone := filepath.Join(dir, "fluxlint")
	if out, err := exec.CommandContext(t.Context(), "git", "clone", "--quiet", "--no-hardlinks", strings.TrimSpace(string(top)), clone).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	cmd := exec.CommandContext(t.Context(), "sh", "-c", run)
	cmd.Dir = clone
	cmd.Env = append(os.Environ(),
		"GOPATH="+filepath.Join(dir, "gopath"), // go install writes here, not into the user's GOPATH
		"GOMODCACHE="+strings.TrimSpace(string(modcache)),
		// -trimpath keeps the clone's folder out of the build cache's keys,
		// so that a second run reuses the first one's packages.
		"GOPROXY=off", "GOFLAGS=-buildvcs=false -trimpath")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\nstdout:\n%s\nstderr:\n%s", run, err, stdout.String(), stderr.String())
	}
	got := stdout.String()
	for _, f := range exampleFindings {
		rule, file, _ := strings.Cut(f, " ")
		file, line, _ := strings.Cut(file, ":")
		if !strings.Contains(got, "examples/flux-repo/"+file) || !regexp.MustCompile(`(?m)^\s+`+line+`:\d+\s.*\[`+rule+`\]$`).MatchString(got) {
			t.Errorf("the output lacks %s at examples/flux-repo/%s:%s", rule, file, line)
		}
	}
	if !strings.Contains(got, "cluster production (examples/flux-repo/clusters/production)") || !strings.Contains(got, "3 errors, 0 warnings") {
		t.Errorf("output:\n%s", got)
	}
}
