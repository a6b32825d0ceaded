package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestSeveralFormats(t *testing.T) {
	repo := writeRepo(t, map[string]string{"clusters/a/sync.yaml": warningRepo})
	out := t.TempDir()
	sarifFile, junitFile := filepath.Join(out, "out.sarif"), filepath.Join(out, "out.xml")
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), []string{"check", repo, "--format", "sarif=" + sarifFile, "-o", "junit=" + junitFile, "--format", "text", "--no-color"}, &stdout, &stderr)
	if code != ExitOK {
		t.Fatalf("exit %d; stderr %s", code, stderr.String())
	}
	if !strings.Contains(stdout.String(), "flux-source-unavailable") || !strings.Contains(stdout.String(), "1 clusters") {
		t.Errorf("text output on stdout lacks the finding or the summary:\n%s", stdout.String())
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID string `json:"ruleId"`
			} `json:"results"`
		} `json:"runs"`
	}
	data, err := os.ReadFile(sarifFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("sarif file: %v", err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 || len(log.Runs[0].Tool.Driver.Rules) < 10 {
		t.Errorf("sarif file: version %s, %d runs; want 2.1.0, one run with results and the rule catalogue:\n%s", log.Version, len(log.Runs), data)
	}
	data, err = os.ReadFile(junitFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, new(struct{})); err != nil || !strings.Contains(string(data), `<testsuite name="a"`) {
		t.Errorf("junit file is not XML with suite a (%v):\n%s", err, data)
	}
}

func TestFormatErrors(t *testing.T) {
	repo := writeRepo(t, map[string]string{"clusters/a/sync.yaml": warningRepo})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "two formats on stdout", args: []string{"--format", "text", "--format", "json"}, want: "both write to stdout"},
		{name: "empty file name", args: []string{"--format", "sarif="}, want: "NAME=FILE"},
		{name: "unknown format to a file", args: []string{"--format", "xml=out.xml"}, want: `unknown format "xml"`},
		{name: "unwritable file", args: []string{"--format", "json=" + filepath.Join(repo, "missing", "out.json")}, want: "--format json"},
		{name: "severity without level", args: []string{"--severity", "schema-invalid"}, want: "RULE=LEVEL"},
		{name: "severity of an unknown rule", args: []string{"--severity", "no-such-rule=info"}, want: `no rule "no-such-rule"`},
		{name: "unknown severity", args: []string{"--severity", "schema-invalid=fatal"}, want: "unknown severity"},
		{name: "disable an unknown rule", args: []string{"--disable", "no-such-rule"}, want: `--disable: no rule "no-such-rule"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := Run(context.Background(), append([]string{"check", repo}, tt.args...), &stdout, &stderr)
			if code != ExitError || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr.String(), tt.want)
			}
		})
	}
}

func TestRuleSettingFlags(t *testing.T) {
	repo := writeRepo(t, map[string]string{"clusters/a/sync.yaml": warningRepo})
	const rule = "[flux-source-unavailable]"
	tests := []struct {
		name string
		args []string
		// wantSeverity is the severity of the rule's finding; "" wants none.
		wantSeverity string
		wantCode     int
	}{
		{name: "default", wantSeverity: "warning", wantCode: ExitOK},
		{name: "raised to error", args: []string{"--severity", "flux-source-unavailable=error"}, wantSeverity: "error", wantCode: ExitFindings},
		{name: "disabled", args: []string{"--disable", "flux-source-unavailable", "--fail-on", "info"}, wantCode: ExitOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := append([]string{"check", repo, "-q"}, tt.args...)
			code := Run(context.Background(), args, &stdout, &stderr)
			got := stdout.String()
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\n%s%s", code, tt.wantCode, got, stderr.String())
			}
			var line string
			for l := range strings.Lines(got) {
				if strings.Contains(l, rule) {
					line = l
				}
			}
			switch {
			case tt.wantSeverity == "" && line != "":
				t.Errorf("disabled rule reported: %s", line)
			case tt.wantSeverity != "" && !strings.Contains(line, ": "+tt.wantSeverity+" "):
				t.Errorf("want a %s %s line in:\n%s", tt.wantSeverity, rule, got)
			}
			// Quiet output: findings only, no headings, no summary.
			if strings.Contains(got, "clusters,") || strings.Contains(got, "cluster a") {
				t.Errorf("quiet output has a heading or a summary:\n%s", got)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), []string{"version"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{"fluxlint ", "go ", "kubernetes schemas ", "1.33", "1.37",
		"flux operator schemas ", "FluxInstance, FluxReport, ResourceSet, ResourceSetInputProvider"} {
		if !strings.Contains(out, want) {
			t.Errorf("version output lacks %q:\n%s", want, out)
		}
	}
}

func TestCompletionCommand(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		t.Run(shell, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := Run(context.Background(), []string{"completion", shell}, &stdout, &stderr); code != ExitOK {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			if !strings.Contains(stdout.String(), "fluxlint") {
				t.Errorf("%s completion script does not name fluxlint", shell)
			}
		})
	}
}

func TestEveryCommandHasExamples(t *testing.T) {
	root := newRoot(&bytes.Buffer{}, &bytes.Buffer{})
	root.InitDefaultCompletionCmd()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		// cobra's own help and completion commands document themselves.
		if c.Name() == "help" || c.Name() == "completion" || c.HasParent() && c.Parent().Name() == "completion" {
			return
		}
		// A group such as "policy" only lists its subcommands; the root
		// is a group too, but shows the examples of a first run.
		grouping := !c.Runnable() && c.HasParent()
		t.Run(c.CommandPath(), func(t *testing.T) {
			if !grouping && strings.TrimSpace(c.Example) == "" {
				t.Errorf("%s has no examples in --help", c.CommandPath())
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
