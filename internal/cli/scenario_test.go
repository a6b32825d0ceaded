package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files of the scenarios")

// TestScenarios runs fluxlint on each repository in testdata/scenarios and
// compares its output and exit code with the golden file beside it. The
// archive's comment holds a line "args: ..." with the arguments; the
// repository path is appended. Run with -update to rewrite golden files.
func TestScenarios(t *testing.T) {
	archives, err := filepath.Glob("../../testdata/scenarios/*.txtar")
	if err != nil || len(archives) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, path := range archives {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			repo := t.TempDir()
			for _, f := range ar.Files {
				dst := filepath.Join(repo, filepath.FromSlash(f.Name))
				if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(dst, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			args := scenarioArgs(t, ar.Comment)
			args = append(args, repo)
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), append(args, "--no-color"), &stdout, &stderr)
			got := fmt.Sprintf("exit %d\n%s%s", code, stdout.String(), stderr.String())
			got = strings.ReplaceAll(got, repo, "$REPO")
			golden := strings.TrimSuffix(path, ".txtar") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/cli -run TestScenarios -update)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s:\n--- got\n%s\n--- want\n%s", golden, got, want)
			}
		})
	}
}

func scenarioArgs(t *testing.T, comment []byte) []string {
	t.Helper()
	for _, line := range strings.Split(string(comment), "\n") {
		if rest, ok := strings.CutPrefix(line, "args:"); ok {
			return strings.Fields(rest)
		}
	}
	t.Fatal("scenario has no args: line")
	return nil
}
