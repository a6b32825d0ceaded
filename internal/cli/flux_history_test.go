package cli

import (
	"bufio"
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// fluxObjectLine matches the apiVersion line of a Flux object of the kinds
// gitops-fluxcd-demo uses, at the start of a document (an apiVersion inside
// a list, such as a healthChecks entry, is indented and does not match).
var fluxObjectLine = regexp.MustCompile(`^apiVersion: ((?:kustomize|source|helm)\.toolkit\.fluxcd\.io)/(v[0-9a-z]+)\s*$`)

// fluxAPILine is one apiVersion line of a Flux object in the corpus.
type fluxAPILine struct {
	file, group, version string
	line                 int
}

// corpusFluxLines lists the apiVersion lines of the Flux objects in the
// corpus's own files, read from the files themselves, patches left out.
func corpusFluxLines(t *testing.T, dir string) []fluxAPILine {
	t.Helper()
	var out []fluxAPILine
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		// traefik-install-patch.yaml is a strategic merge patch, not an
		// object: the patched object keeps the position of its base.
		if d.IsDir() || !strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, "-patch.yaml") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			if m := fluxObjectLine.FindStringSubmatch(sc.Text()); m != nil {
				out = append(out, fluxAPILine{file: filepath.ToSlash(rel), group: m[1], version: m[2], line: n})
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// findingsAt returns the messages of the findings of rule at file:line.
func (o jsonOut) findingsAt(rule, file string, line int) []string {
	var out []string
	for _, f := range o.Findings {
		if f.Rule == rule && f.Position.File == file && f.Position.Line == line {
			out = append(out, f.Message)
		}
	}
	return out
}

// fluxReplacement is the apiVersion of each group that the newest embedded
// Flux release serves for the kinds of the corpus.
var fluxReplacement = map[string]string{
	"kustomize.toolkit.fluxcd.io": "kustomize.toolkit.fluxcd.io/v1",
	"source.toolkit.fluxcd.io":    "source.toolkit.fluxcd.io/v1",
	"helm.toolkit.fluxcd.io":      "helm.toolkit.fluxcd.io/v2",
}

// TestCorpusFluxHistory checks gitops-fluxcd-demo, whose Flux objects use
// apiVersions that Flux 2.9 no longer serves, against several embedded Flux
// releases: with the newest, each object is an error at its apiVersion line
// naming the replacement; with 2.6, which serves them all, there is no such
// error, only deprecation warnings at the same lines; with 2.7, which
// dropped v2beta1 HelmRelease but still served the v1beta2 kinds, only the
// HelmReleases are errors.
func TestCorpusFluxHistory(t *testing.T) {
	dir := filepath.Join(corpora, "gitops-fluxcd-demo")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	lines := corpusFluxLines(t, dir)
	old := 0
	for _, l := range lines {
		if l.version != "v1" && l.version != "v2" {
			old++
		}
	}
	if old < 10 {
		t.Fatalf("found %d Flux objects with old apiVersions in the corpus, want at least 10: %+v", old, lines)
	}

	// --flux-version wins over the Flux version the repository names (its
	// gotk-components.yaml says v0.32.0, see TestCorpusComponentsVersion).
	newest, code := checkCorpus(t, "gitops-fluxcd-demo", "--flux-version", "2.9")
	if code != ExitFindings {
		t.Errorf("newest Flux: exit %d, want 1", code)
	}
	for _, l := range lines {
		msgs := newest.findingsAt("schema-api-version", l.file, l.line)
		if len(msgs) == 0 {
			t.Errorf("newest Flux: no schema-api-version finding at %s:%d (%s/%s)", l.file, l.line, l.group, l.version)
			continue
		}
		want := "served: " + fluxReplacement[l.group]
		for _, m := range msgs {
			if !strings.Contains(m, "not served by Flux 2.9") || !strings.HasSuffix(m, want) {
				t.Errorf("%s:%d: message %q does not name Flux 2.9 and %q", l.file, l.line, m, want)
			}
		}
	}

	for _, version := range []string{"2.6", "v2.0.1", "2.4.x"} {
		t.Run(version, func(t *testing.T) {
			out, _ := checkCorpus(t, "gitops-fluxcd-demo", "--flux-version", version)
			for _, f := range out.Findings {
				if f.Rule == "schema-api-version" {
					t.Errorf("--flux-version %s: unexpected finding %s:%d %s", version, f.Position.File, f.Position.Line, f.Message)
				}
			}
			for _, l := range lines {
				msgs := out.findingsAt("schema-api-deprecated", l.file, l.line)
				if len(msgs) != 1 {
					t.Errorf("--flux-version %s: %d deprecation warnings at %s:%d, want 1: %q", version, len(msgs), l.file, l.line, msgs)
					continue
				}
				if !strings.Contains(msgs[0], "and later do not serve it") && !strings.Contains(msgs[0], "and later; use "+fluxReplacement[l.group]) {
					t.Errorf("--flux-version %s: warning at %s:%d does not name the release that removes it: %q", version, l.file, l.line, msgs[0])
				}
			}
		})
	}

	t.Run("2.7", func(t *testing.T) {
		out, _ := checkCorpus(t, "gitops-fluxcd-demo", "--flux-version", "2.7")
		var got, want []string
		for _, f := range out.Findings {
			if f.Rule == "schema-api-version" {
				got = append(got, f.Position.File)
			}
		}
		for _, l := range lines {
			if l.group == "helm.toolkit.fluxcd.io" && l.version == "v2beta1" {
				want = append(want, l.file)
			}
		}
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("--flux-version 2.7: schema-api-version findings in\n%v\nwant the v2beta1 HelmReleases\n%v", got, want)
		}
	})
}

// TestFluxVersionFromConfig checks that fluxVersion in .fluxlint.yaml picks
// the Flux release as --flux-version does, that the flag wins over it, and
// that fluxlint version lists the embedded releases.
func TestFluxVersionFromConfig(t *testing.T) {
	repo := t.TempDir()
	files := map[string]string{
		".fluxlint.yaml": "fluxVersion: \"2.6.x\"\n",
		"clusters/dev/apps.yaml": `apiVersion: kustomize.toolkit.fluxcd.io/v1beta2
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`,
		"apps/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: default\n",
	}
	for name, content := range files {
		path := filepath.Join(repo, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) string {
		var stdout, stderr bytes.Buffer
		code := Run(context.Background(), append([]string{"check", repo, "--offline", "-q", "--no-color"}, args...), &stdout, &stderr)
		if code == ExitError {
			t.Fatalf("exit 2: %s", stderr.String())
		}
		return stdout.String()
	}
	if out := run(); !strings.Contains(out, "[schema-api-deprecated]") || strings.Contains(out, "[schema-api-version]") {
		t.Errorf("fluxVersion 2.6.x in the configuration: want a deprecation warning and no schema-api-version error, got\n%s", out)
	}
	if out := run("--flux-version", "2.9"); !strings.Contains(out, "is not served by Flux 2.9") {
		t.Errorf("--flux-version 2.9 over the configuration: want the apiVersion not served, got\n%s", out)
	}
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), []string{"version"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("version: exit %d: %s", code, stderr.String())
	}
	if !regexp.MustCompile(`(?m)^flux schemas +2\.0, .*2\.9$`).MatchString(stdout.String()) {
		t.Errorf("fluxlint version does not list the Flux releases:\n%s", stdout.String())
	}
}

// TestCorpusComponentsVersion checks that a bootstrap cluster is validated
// against the Flux release its gotk-components.yaml header names: the base
// cluster of gitops-fluxcd-demo runs Flux v0.32.0, older than any embedded
// release, so it is checked against the oldest (2.0), which serves its
// v1beta2 Kustomization and GitRepository, and says so once.
func TestCorpusComponentsVersion(t *testing.T) {
	out, _ := checkCorpus(t, "gitops-fluxcd-demo")
	if out.has("schema-api-version", "fluxcd/clusters/base/flux-system/gotk-sync.yaml", 0) {
		t.Error("the base cluster was checked against the newest Flux, not the v0.32.0 its components name")
	}
	found := false
	for _, f := range out.Findings {
		if f.Rule == "schema-flux-version" && f.Cluster == "fluxcd/clusters/base" {
			found = strings.Contains(f.Message, "2.0")
		}
	}
	if !found {
		t.Error("no schema-flux-version finding naming the release used for the base cluster")
	}
}
