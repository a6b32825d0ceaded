package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// A badCase is one hostile or broken repository of testdata/bad. Its
// archive's comment holds directives, one a line:
//
//	want: RULE-ID [regexp]   a finding of this rule (whose message matches)
//	forbid: TEXT             TEXT appears in no output (a file outside the repository)
//	args: ...                more arguments for fluxlint check ($REPO is the repository)
//	generate: NAME           a generator of bad_generate_test.go adds files
//	render: ...              also run fluxlint render with these arguments
//	online: true             no --offline: the case serves charts on 127.0.0.1
//	heavy: true              too slow under the race detector: skipped there
//	                         (.ci/run runs the suite once more without it)
//	error: REGEXP            the run stops with exit code 2 and this one-line
//	                         error (a refused configuration), no report
type badCase struct {
	wants    []badWant
	err      *regexp.Regexp
	forbid   []string
	args     []string
	generate []string
	render   []string
	online   bool
	heavy    bool
}

type badWant struct {
	rule string
	msg  *regexp.Regexp
}

func parseBadCase(comment []byte) badCase {
	var c badCase
	for _, line := range strings.Split(string(comment), "\n") {
		key, rest, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		rest = strings.TrimSpace(rest)
		switch key {
		case "want":
			rule, re, _ := strings.Cut(rest, " ")
			w := badWant{rule: rule}
			if re != "" {
				w.msg = regexp.MustCompile(re)
			}
			c.wants = append(c.wants, w)
		case "forbid":
			c.forbid = append(c.forbid, rest)
		case "args":
			c.args = append(c.args, strings.Fields(rest)...)
		case "generate":
			c.generate = append(c.generate, strings.Fields(rest)...)
		case "render":
			c.render = strings.Fields(rest)
		case "online":
			c.online = rest == "true"
		case "heavy":
			c.heavy = rest == "true"
		case "error":
			c.err = regexp.MustCompile(rest)
		}
	}
	return c
}

// TestBadInputs runs fluxlint check end to end on every repository of
// testdata/bad: each must exit 0 or 1 (never 2 unless the case wants a
// refusal, never a panic, never hang: no limit on time is asserted, which
// would fail on a busy machine; a hang stops the test binary at its
// -timeout with every goroutine's stack),
// report the findings its archive wants, and never print what lies outside
// the repository. The repository sits in a folder of its own, beside an
// "outside" folder whose files no case may read.
func TestBadInputs(t *testing.T) {
	archives, err := filepath.Glob("../../testdata/bad/*.txtar")
	if err != nil || len(archives) == 0 {
		t.Fatalf("no bad inputs: %v", err)
	}
	for _, path := range archives {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			// The cases share nothing but the process: run them side by
			// side, on both cores.
			t.Parallel()
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			c := parseBadCase(ar.Comment)
			if c.heavy && raceDetector {
				t.Skip("a heavy input, too slow under the race detector; .ci/run runs it without -race")
			}
			base := t.TempDir()
			repo := filepath.Join(base, "repo")
			writeArchive(t, repo, ar.Files)
			writeOutside(t, base)
			for _, g := range c.generate {
				gen, ok := badGenerators[g]
				if !ok {
					t.Fatalf("unknown generator %q", g)
				}
				c.args = append(c.args, gen(t, repo)...)
			}
			for i, a := range c.args {
				c.args[i] = strings.ReplaceAll(a, "$REPO", repo)
			}
			common := []string{"--cache-dir", t.TempDir()}
			if !c.online {
				common = append(common, "--offline")
			}
			out := runBad(t, append(append([]string{"check", repo, "--format", "json"}, common...), c.args...), c.err)
			if c.err == nil {
				checkWants(t, out, c.wants)
			}
			all := out
			if c.render != nil {
				all += runBad(t, append(append([]string{"render", repo}, common...), c.render...), c.err)
			}
			for _, f := range append(c.forbid, outsideMarker) {
				if strings.Contains(all, f) {
					t.Errorf("the output holds %q, which only a file outside the repository has:\n%s", f, all)
				}
			}
		})
	}
}

// outsideMarker is the content of the files beside the repository; no
// output may ever hold it.
const outsideMarker = "OUTSIDE-the-repository-marker"

// writeOutside writes files beside the repository that escapes aim at: a
// ConfigMap, a kustomization, a plain file and a chart.
func writeOutside(t *testing.T, base string) {
	t.Helper()
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside\n  namespace: default\ndata:\n  stolen: " + outsideMarker + "\n"
	writeArchive(t, filepath.Join(base, "outside"), []txtar.File{
		{Name: "configmap.yaml", Data: []byte(cm)},
		{Name: "kustomization.yaml", Data: []byte("resources:\n  - configmap.yaml\n")},
		{Name: "secret.txt", Data: []byte(outsideMarker)},
		{Name: "schema.json", Data: []byte(`{"enum": ["` + outsideMarker + `"]}`)},
		{Name: "chart/Chart.yaml", Data: []byte("apiVersion: v2\nname: outside\nversion: 1.0.0\n")},
		{Name: "chart/templates/cm.yaml", Data: []byte(cm)},
	})
}

func writeArchive(t *testing.T, dir string, files []txtar.File) {
	t.Helper()
	for _, f := range files {
		writeBadFile(t, filepath.Join(dir, filepath.FromSlash(f.Name)), f.Data)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
}

// runBad runs fluxlint and checks the exit code: 0 or 1, or 2 with a
// one-line error matching wantErr when it is set. A panic fails the test
// with its stack.
func runBad(t *testing.T, args []string, wantErr *regexp.Regexp) string {
	t.Helper()
	var r struct {
		code           int
		stdout, stderr string
		panic          any
		stack          []byte
	}
	func() {
		defer func() {
			if p := recover(); p != nil {
				r.panic, r.stack = p, make([]byte, 64<<10)
				r.stack = r.stack[:runtime.Stack(r.stack, false)]
			}
		}()
		var stdout, stderr bytes.Buffer
		r.code = Run(context.Background(), args, &stdout, &stderr)
		r.stdout, r.stderr = stdout.String(), stderr.String()
	}()
	switch {
	case r.panic != nil:
		t.Fatalf("%v panicked: %v\n%s", args[:1], r.panic, r.stack)
	case wantErr != nil:
		line := strings.TrimSuffix(r.stderr, "\n")
		if r.code != ExitError || strings.Contains(line, "\n") || !wantErr.MatchString(line) || r.stdout != "" {
			t.Fatalf("%v: exit %d, stderr %q, stdout %q; want exit 2 and one line matching %v", args[:1], r.code, r.stderr, r.stdout, wantErr)
		}
	case r.code != ExitOK && r.code != ExitFindings:
		t.Fatalf("%v: exit %d, want 0 or 1: %s%s", args[:1], r.code, r.stderr, r.stdout)
	}
	return r.stdout + r.stderr
}

// checkWants checks that the JSON report holds each wanted finding and
// that no finding points outside the repository.
func checkWants(t *testing.T, out string, wants []badWant) {
	t.Helper()
	var rep struct {
		Findings []struct {
			Rule     string `json:"rule"`
			Message  string `json:"message"`
			Position struct {
				File string `json:"file"`
			} `json:"position"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not a JSON report: %v\n%s", err, out)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, fmt.Sprintf("%s %s: %s", f.Rule, f.Position.File, f.Message))
		// Policy files are named by the user, wherever they are.
		outside := strings.HasPrefix(f.Position.File, "..") || filepath.IsAbs(f.Position.File)
		if outside && !strings.HasSuffix(f.Position.File, ".rego") {
			t.Errorf("a finding points outside the repository: %s", got[len(got)-1])
		}
	}
	for _, w := range wants {
		found := false
		for _, f := range rep.Findings {
			if f.Rule == w.rule && (w.msg == nil || w.msg.MatchString(f.Message)) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %s finding matching %v; findings:\n%s", w.rule, w.msg, strings.Join(got, "\n"))
		}
	}
	if testing.Verbose() {
		t.Logf("findings:\n%s", strings.Join(got, "\n"))
	}
}
