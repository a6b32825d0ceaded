package actionrun

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// repoRoot is the folder of fluxlint's action.yml, seen from this package.
const repoRoot = "../.."

// A fixture is a fake GitHub: a release server, a cache service, code
// scanning, and a workspace checked out from a Git repository, which
// several jobs (fresh runners) can check in turn.
type fixture struct {
	t         *testing.T
	releases  *releaseServer
	cache     *cacheStore
	sarif     *sarifUploads
	workspace string
	stubLog   string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	for _, tool := range []string{"bash", "curl", "git", "tar", "sha256sum", "unzip"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	f := &fixture{t: t, releases: newReleaseServer(t), cache: &cacheStore{dir: t.TempDir()}, sarif: &sarifUploads{},
		workspace: t.TempDir(), stubLog: filepath.Join(t.TempDir(), "stub.log")}
	f.write("deploy/clusters/prod/apps.yaml", "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./deploy/apps\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n")
	f.write("deploy/apps/service.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\nspec:\n  ports:\n    - name: http\n      port: \"eighty\"\n")
	f.write("deploy/apps/podinfo.yaml", "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\n  namespace: default\nspec:\n  interval: 1h\n  url: https://stefanprodan.github.io/podinfo\n")
	f.git("init", "-q")
	f.commit("the first commit")
	stub := map[string][]byte{}
	for _, target := range []string{"linux_amd64", "linux_arm64", "darwin_arm64"} {
		stub["fluxlint_0.1.0_"+target+".tar.gz"] = tarGz(t, map[string]string{"fluxlint": stubFluxlint, "README.md": "readme"})
	}
	stub["fluxlint_0.1.0_windows_amd64.zip"] = zipped(t, map[string]string{"fluxlint.exe": stubFluxlint, "README.md": "readme"})
	f.releases.publish("v0.1.0", stub)
	return f
}

func (f *fixture) write(name, content string) {
	f.t.Helper()
	p := filepath.Join(f.workspace, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) git(args ...string) string {
	f.t.Helper()
	cmd := exec.CommandContext(context.Background(), "git", append([]string{"-c", "user.email=ci@example.com", "-c", "user.name=ci", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Dir = f.workspace
	out, err := cmd.CombinedOutput()
	if err != nil {
		f.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func (f *fixture) commit(msg string) {
	f.git("add", "-A")
	f.git("commit", "-q", "-m", msg)
}

// A job is one run of the action on a fresh runner.
type job struct {
	ref, os, arch string
	env           []string // more environment for the steps (FLUXLINT_STUB_EXIT=1, PATH=...)
	inputs        map[string]string
}

// run runs the action in a new runner and returns its result, the job log
// and the arguments the stub fluxlint got.
func (f *fixture) run(j job) (*Result, string, []string) {
	f.t.Helper()
	_ = os.Remove(f.stubLog)
	home := f.t.TempDir()
	r := &Runner{
		ActionPath: mustAbs(f.t, repoRoot), ActionRef: j.ref, Workspace: f.workspace,
		Temp: f.t.TempDir(), ToolCache: f.t.TempDir(), OS: j.os, Arch: j.arch,
		Env: append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
			"FLUXLINT_RELEASES_URL=" + f.releases.URL + "/releases", "FLUXLINT_STUB_LOG=" + f.stubLog}, j.env...),
		Uses: map[string]UsesFunc{"actions/cache/restore": f.cache.restore, "actions/cache/save": f.cache.save,
			"github/codeql-action/upload-sarif": f.sarif.upload},
	}
	if r.OS == "" {
		r.OS, r.Arch = "Linux", "X64"
	}
	var log bytes.Buffer
	r.Log = &log
	res, err := r.Run(context.Background(), j.inputs)
	if err != nil {
		f.t.Fatalf("the runner failed: %v\n%s", err, log.String())
	}
	data, _ := os.ReadFile(f.stubLog)
	var calls []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if line != "" {
			calls = append(calls, line)
		}
	}
	return res, log.String(), calls
}

func mustAbs(t *testing.T, p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// call returns the stub's call that starts with prefix.
func call(calls []string, prefix string) string {
	i := slices.IndexFunc(calls, func(c string) bool { return strings.HasPrefix(c, prefix) })
	if i < 0 {
		return ""
	}
	return calls[i]
}

func TestInstallsCachesAndUploads(t *testing.T) {
	f := newFixture(t)
	res, log, calls := f.run(job{ref: "v0.1.0", inputs: map[string]string{"upload-sarif": "true", "path": "deploy"}})
	if res.Failed {
		t.Fatalf("the action failed:\n%s", log)
	}
	sarif := res.Outputs["sarif-file"]
	if res.Outputs["version"] != "v0.1.0" || res.Outputs["exit-code"] != "0" || !strings.HasSuffix(sarif, "/fluxlint.sarif") {
		t.Errorf("outputs %v: want version v0.1.0, exit-code 0 and the SARIF file", res.Outputs)
	}
	if want := "check deploy --fail-on error --format sarif=" + sarif + " --format github"; call(calls, "check") != want {
		t.Errorf("fluxlint ran %q, want %q", call(calls, "check"), want)
	}
	if c := call(calls, "cache prune"); !strings.HasSuffix(c, "--max-size 500MB") || !strings.Contains(c, "--cache-dir ") {
		t.Errorf("the cache folder was not pruned before it was saved: %q", c)
	}
	if len(res.Path) != 1 || !strings.HasSuffix(res.Path[0], "/fluxlint/0.1.0/amd64") {
		t.Errorf("GITHUB_PATH got %v, want the release's folder in the tool cache", res.Path)
	}
	if len(f.sarif.done) != 1 || f.sarif.done[0].category != "fluxlint" {
		t.Errorf("SARIF uploads %+v, want one of category fluxlint", f.sarif.done)
	}
	if !strings.Contains(log, "::error file=apps/service.yaml") {
		t.Errorf("the job log lacks fluxlint's annotation:\n%s", log)
	}
	keys := f.cache.keys()
	if len(keys) != 1 || !strings.HasPrefix(keys[0], "fluxlint-v1-Linux-X64-") {
		t.Fatalf("cache entries %v, want one fluxlint-v1-Linux-X64-...", keys)
	}

	// A second job on the same commit: an exact hit, restored, not saved again.
	res, log, _ = f.run(job{ref: "v0.1.0", inputs: map[string]string{"path": "deploy"}})
	if res.Outputs["cache-hit"] != "true" || !strings.Contains(log, "the cache held 1 runs") || len(f.cache.keys()) != 1 {
		t.Errorf("second job: cache-hit %q, entries %v; want an exact hit, the first job's cache, no new entry:\n%s",
			res.Outputs["cache-hit"], f.cache.keys(), log)
	}

	// A change that names no chart: restored from the entry with the same
	// charts (the first job's: the second saved nothing), saved under a new key.
	f.write("deploy/apps/service.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n")
	f.commit("a service")
	res, log, _ = f.run(job{ref: "v0.1.0", inputs: map[string]string{"path": "deploy"}})
	keys = f.cache.keys()
	if res.Outputs["cache-hit"] != "false" || len(keys) != 2 || !sameCharts(keys[0], keys[1]) || !strings.Contains(log, "the cache held 1 runs") {
		t.Errorf("after a change without charts: cache-hit %q, entries %v; want a restore-key hit and a new entry with the same chart hash:\n%s",
			res.Outputs["cache-hit"], keys, log)
	}

	// A change of a chart source: a new chart hash, restored from the newest
	// entry (the third job's).
	f.write("deploy/apps/podinfo.yaml", "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\nspec:\n  url: https://example.com/charts\n")
	f.commit("another chart repository")
	res, log, _ = f.run(job{ref: "v0.1.0", inputs: map[string]string{"path": "deploy"}})
	keys = f.cache.keys()
	if res.Outputs["cache-hit"] != "false" || len(keys) != 3 || sameCharts(keys[1], keys[2]) || !strings.Contains(log, "the cache held 2 runs") {
		t.Errorf("after a chart source changed: cache-hit %q, entries %v; want a fallback hit and an entry with another chart hash:\n%s",
			res.Outputs["cache-hit"], keys, log)
	}
}

// sameCharts says whether two cache keys have the same chart hash.
func sameCharts(a, b string) bool {
	pa, pb := strings.Split(a, "-"), strings.Split(b, "-")
	return len(pa) == 6 && len(pb) == 6 && pa[4] == pb[4] && pa[5] != pb[5]
}

func TestChecksumMismatchFailsTheInstall(t *testing.T) {
	f := newFixture(t)
	name := "v0.1.0/fluxlint_0.1.0_linux_amd64.tar.gz"
	f.releases.files[name] = append(slices.Clone(f.releases.files[name]), 0)
	res, log, calls := f.run(job{ref: "v0.1.0"})
	if !res.Failed || res.Steps["install"].Outcome != "failure" {
		t.Fatalf("the install of a tampered archive did not fail:\n%s", log)
	}
	if !strings.Contains(log, "::error title=fluxlint install::checksum mismatch for fluxlint_0.1.0_linux_amd64.tar.gz") {
		t.Errorf("the log does not say why:\n%s", log)
	}
	if res.Steps["check"].Outcome != "skipped" || len(calls) != 0 || len(res.Path) != 0 {
		t.Errorf("fluxlint ran or was put on PATH after a checksum mismatch: check %q, calls %v, path %v", res.Steps["check"].Outcome, calls, res.Path)
	}
}

func TestFindingsFailTheStepButTheCacheAndSARIFAreSaved(t *testing.T) {
	f := newFixture(t)
	res, log, _ := f.run(job{ref: "v0.1.0", env: []string{"FLUXLINT_STUB_EXIT=1"}, inputs: map[string]string{"upload-sarif": "true"}})
	if !res.Failed || res.Steps["check"].Outcome != "failure" || res.Outputs["exit-code"] != "1" {
		t.Fatalf("findings did not fail the check step with exit-code 1: outputs %v\n%s", res.Outputs, log)
	}
	if len(f.cache.keys()) != 1 || len(f.sarif.done) != 1 {
		t.Errorf("after findings: cache entries %v, uploads %v; want both saved", f.cache.keys(), f.sarif.done)
	}
}

func TestChangedSince(t *testing.T) {
	f := newFixture(t)
	base := f.git("rev-parse", "HEAD")
	f.write("deploy/apps/extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n")
	f.commit("a change")
	_, log, calls := f.run(job{ref: "v0.1.0", inputs: map[string]string{"changed-since": base, "cache": "false"}})
	if c := call(calls, "check"); !strings.HasSuffix(c, "--changed-since "+base) {
		t.Errorf("fluxlint ran %q, want --changed-since %s:\n%s", c, base, log)
	}
	// A base the checkout lacks and no remote to fetch it from: everything is checked.
	missing := strings.Repeat("1", 40)
	_, log, calls = f.run(job{ref: "v0.1.0", inputs: map[string]string{"changed-since": missing, "cache": "false"}})
	if c := call(calls, "check"); strings.Contains(c, "--changed-since") || !strings.Contains(log, "::warning title=fluxlint::changed-since: "+missing) {
		t.Errorf("fluxlint ran %q for a base that cannot be had; want a warning and a full check:\n%s", c, log)
	}
}

func TestShard(t *testing.T) {
	f := newFixture(t)
	res, log, calls := f.run(job{ref: "v0.1.0", inputs: map[string]string{"shard": "2/4", "upload-sarif": "true"}})
	if res.Failed {
		t.Fatalf("the action failed:\n%s", log)
	}
	if c := call(calls, "check"); !strings.HasSuffix(c, "--shard 2/4") {
		t.Errorf("fluxlint ran %q, want --shard 2/4", c)
	}
	if len(f.sarif.done) != 1 || f.sarif.done[0].category != "fluxlint-shard-2-of-4" {
		t.Errorf("SARIF uploads %+v, want one of category fluxlint-shard-2-of-4", f.sarif.done)
	}
	if keys := f.cache.keys(); len(keys) != 1 || !strings.HasSuffix(keys[0], "-shard-2-of-4") {
		t.Errorf("cache entries %v, want one whose key names the shard", keys)
	}
}

func TestVersionAndPlatform(t *testing.T) {
	tests := []struct {
		name, ref, version, os, arch string
		wantDownload, wantError      string
	}{
		{name: "latest, when the action's ref is a branch", ref: "main", wantDownload: "/releases/download/v0.1.0/fluxlint_0.1.0_linux_amd64.tar.gz"},
		{name: "macOS on arm64", ref: "v0.1.0", os: "macOS", arch: "ARM64", wantDownload: "/releases/download/v0.1.0/fluxlint_0.1.0_darwin_arm64.tar.gz"},
		{name: "Windows: the zip", ref: "v0.1.0", os: "Windows", arch: "X64", wantDownload: "/releases/download/v0.1.0/fluxlint_0.1.0_windows_amd64.zip"},
		{name: "a version with no release", ref: "v0.1.0", version: "v9.9.9", wantError: "download failed: "},
		{name: "not a version", ref: "v0.1.0", version: "1.0", wantError: "version '1.0' is not vX.Y.Z or latest"},
		{name: "a 32-bit runner", ref: "v0.1.0", os: "Linux", arch: "X86", wantError: "no fluxlint release for RUNNER_ARCH=X86"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			res, log, _ := f.run(job{ref: tt.ref, os: tt.os, arch: tt.arch, inputs: map[string]string{"version": tt.version, "cache": "false"}})
			if tt.wantError != "" {
				if !res.Failed || !strings.Contains(log, "::error title=fluxlint install::"+tt.wantError) {
					t.Errorf("want the install to fail with %q:\n%s", tt.wantError, log)
				}
				return
			}
			if res.Failed || !slices.Contains(f.releases.downloads(), tt.wantDownload) || res.Outputs["version"] != "v0.1.0" {
				t.Errorf("downloads %v, version %q; want %s and v0.1.0:\n%s", f.releases.downloads(), res.Outputs["version"], tt.wantDownload, log)
			}
		})
	}
}

// fakeGo is a go command that records its arguments and, for go build -o
// FILE, writes the stub fluxlint there.
const fakeGo = `#!/usr/bin/env bash
echo "go $* (in $PWD)" >> "$FLUXLINT_STUB_LOG"
if [ "$1" = version ]; then echo "go version go1.26.8 fake"; exit 0; fi
while [ $# -gt 0 ]; do
  if [ "$1" = -o ]; then cp "$FAKE_FLUXLINT" "$2"; fi
  shift
done
`

func TestGoInstallUsesTheGoOnPath(t *testing.T) {
	f := newFixture(t)
	bin := t.TempDir()
	stub := filepath.Join(t.TempDir(), "fluxlint")
	for name, body := range map[string]string{filepath.Join(bin, "go"): fakeGo, stub: stubFluxlint} {
		if err := os.WriteFile(name, []byte(body), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	path := "PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")
	res, log, calls := f.run(job{ref: "main", env: []string{path, "FAKE_FLUXLINT=" + stub}, inputs: map[string]string{"install": "go", "cache": "false"}})
	build := call(calls, "go build")
	if res.Failed || !strings.Contains(build, "-trimpath") || !strings.Contains(build, "./cmd/fluxlint (in "+mustAbs(t, repoRoot)+")") {
		t.Fatalf("install: go ran %q; want go build -trimpath ./cmd/fluxlint in the action's folder:\n%s", build, log)
	}
	if d := f.releases.downloads(); len(d) != 0 || call(calls, "check") == "" {
		t.Errorf("install: go downloaded %v or did not check", d)
	}

	// Without Go on PATH, a clear error (the action never installs Go).
	var noGo []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		if _, err := os.Stat(filepath.Join(dir, "go")); err != nil {
			noGo = append(noGo, dir)
		}
	}
	res, log, _ = f.run(job{ref: "main", env: []string{"PATH=" + strings.Join(noGo, string(os.PathListSeparator))}, inputs: map[string]string{"install": "go"}})
	if !res.Failed || !strings.Contains(log, "install: go needs Go on PATH") {
		t.Errorf("install: go without Go did not fail clearly:\n%s", log)
	}
}

// distEnv names a folder that scripts/release.sh wrote; with it,
// TestTheReleasedBinary installs and runs the real fluxlint of the host's
// target from it (CI sets it after building the snapshot release).
const distEnv = "FLUXLINT_TEST_DIST"

// hostRunner returns RUNNER_OS and RUNNER_ARCH of this machine, or false
// when no release targets it.
func hostRunner() (string, string, bool) {
	osName := map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}[runtime.GOOS]
	arch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	return osName, arch, osName != "" && arch != ""
}

func TestTheReleasedBinary(t *testing.T) {
	dist := os.Getenv(distEnv)
	if dist == "" {
		t.Skipf("%s is not set: the released binary is tested by .ci/run after scripts/release.sh", distEnv)
	}
	osName, arch, ok := hostRunner()
	if !ok {
		t.Skipf("no release for %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	version, err := os.ReadFile(filepath.Join(dist, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t)
	archives := map[string][]byte{}
	names, _ := filepath.Glob(filepath.Join(dist, "fluxlint_*"))
	for _, name := range names {
		if !strings.HasSuffix(name, ".sbom.json") {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			archives[filepath.Base(name)] = data
		}
	}
	v := strings.TrimSpace(string(version))
	f.releases.publish(v, archives)
	for _, path := range []string{"deploy", "."} {
		t.Run("path "+path, func(t *testing.T) {
			res, log, _ := f.run(job{ref: "main", os: osName, arch: arch,
				inputs: map[string]string{"version": v, "path": path, "offline": "true", "upload-sarif": "true"}})
			if !res.Failed || res.Outputs["exit-code"] != "1" || res.Outputs["version"] != v {
				t.Fatalf("outputs %v: want fluxlint %s to fail the check with exit-code 1:\n%s", res.Outputs, v, log)
			}
			// GitHub places an annotation at a path from the workspace root,
			// whatever folder was checked.
			if !strings.Contains(log, "::error file=deploy/apps/service.yaml,line=9,col=7,title=schema-invalid::") {
				t.Errorf("no schema-invalid annotation at deploy/apps/service.yaml:9:7 in the log:\n%s", log)
			}
			if len(f.sarif.done) == 0 || f.sarif.done[len(f.sarif.done)-1].results == 0 {
				t.Errorf("no SARIF results uploaded: %+v", f.sarif.done)
			}
			if len(f.cache.keys()) == 0 {
				t.Errorf("the cache folder was not saved:\n%s", log)
			}
		})
	}
}

func TestAPathThatIsNotAFolder(t *testing.T) {
	f := newFixture(t)
	res, log, calls := f.run(job{ref: "v0.1.0", env: []string{"FLUXLINT_STUB_EXIT=2"}, inputs: map[string]string{"path": "nope"}})
	if res.Steps["cachekey"].Outcome != "success" || !strings.Contains(log, "no cache: path nope is not a folder") {
		t.Errorf("the cache step did not skip the cache with a warning:\n%s", log)
	}
	if c := call(calls, "check"); !strings.HasPrefix(c, "check nope ") || res.Outputs["exit-code"] != "2" || !res.Failed {
		t.Errorf("fluxlint ran %q with outputs %v; want it run on nope and its exit code 2 to fail the action", c, res.Outputs)
	}
}
