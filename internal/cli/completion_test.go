package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// complete runs cobra's hidden __complete command, as the shell scripts
// of fluxlint completion do, and returns the candidates (without their
// descriptions) and the directive line.
func complete(t *testing.T, args ...string) ([]string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), append([]string{"__complete"}, args...), &stdout, &stderr); code != ExitOK {
		t.Fatalf("__complete %v: exit %d: %s", args, code, stderr.String())
	}
	var got []string
	directive := ""
	for line := range strings.SplitSeq(strings.TrimSpace(stdout.String()), "\n") {
		if strings.HasPrefix(line, ":") {
			directive = line
			continue
		}
		value, _, _ := strings.Cut(line, "\t")
		got = append(got, value)
	}
	return got, directive
}

func TestCompletion(t *testing.T) {
	repo := writeRepo(t, map[string]string{
		"clusters/production/flux-system/gotk-sync.yaml": "kind: Kustomization\n",
		"clusters/staging/apps.yaml":                     "kind: Kustomization\n",
	})
	configured := writeRepo(t, map[string]string{
		ConfigFile:                "clusters:\n  - name: edge\n    path: fleet/edge\n",
		"fleet/edge/apps.yaml":    "kind: Kustomization\n",
		"clusters/ignored/a.yaml": "kind: Kustomization\n",
	})
	const noFiles, noSpace = ":4", ":6" // ShellCompDirectiveNoFileComp, | NoSpace
	tests := []struct {
		name      string
		args      []string
		want      []string
		unwanted  []string
		directive string
	}{
		{name: "disable", args: []string{"check", "--disable", ""}, want: []string{"schema-invalid", "policy-privileged", "yaml-syntax"}, directive: noFiles},
		{name: "severity rule", args: []string{"check", "--severity", "schema-"}, want: []string{"schema-invalid=", "yaml-syntax="}, directive: noSpace},
		{name: "severity level", args: []string{"check", "--severity", "schema-invalid="}, want: []string{"schema-invalid=error", "schema-invalid=warning", "schema-invalid=info"}, unwanted: []string{"yaml-syntax="}, directive: noFiles},
		{name: "report disable", args: []string{"report", "--disable", ""}, want: []string{"ref-secret-missing"}, directive: noFiles},
		{name: "rules explain", args: []string{"rules", "explain", ""}, want: []string{"ref-configmap-missing", "schema-api-version"}, directive: noFiles},
		{name: "rules subcommand", args: []string{"rules", ""}, want: []string{"explain"}, unwanted: []string{"schema-invalid"}, directive: noFiles},
		{name: "check formats", args: []string{"check", "-o", ""}, want: []string{"github", "json", "junit", "sarif", "text"}, directive: noFiles},
		{name: "diff formats", args: []string{"diff", "--format", ""}, want: []string{"text", "markdown"}, unwanted: []string{"sarif"}, directive: noFiles},
		{name: "rules formats", args: []string{"rules", "-o", ""}, want: []string{"text", "json", "markdown"}, directive: noFiles},
		{name: "fail-on", args: []string{"check", "--fail-on", ""}, want: []string{"error", "warning", "info", "none"}, directive: noFiles},
		{name: "kubernetes versions", args: []string{"lsp", "--kubernetes-version", ""}, want: []string{"1.33", "1.37"}, directive: noFiles},
		{name: "check clusters are paths", args: []string{"check", repo, "--cluster", ""}, want: []string{"clusters/production", "clusters/staging"}, directive: noFiles},
		{name: "render clusters are names", args: []string{"render", repo, "--cluster", ""}, want: []string{"production", "staging"}, unwanted: []string{"clusters/production"}, directive: noFiles},
		{name: "configured clusters", args: []string{"render", configured, "--cluster", ""}, want: []string{"edge"}, unwanted: []string{"ignored"}, directive: noFiles},
		{name: "configured clusters by --config", args: []string{"charts", "pull", repo, "--config", filepath.Join(configured, ConfigFile), "--cluster", ""},
			want: []string{"fleet/edge"}, unwanted: []string{"clusters/production"}, directive: noFiles},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, directive := complete(t, tt.args...)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("candidates lack %q: %v", w, got)
				}
			}
			for _, u := range tt.unwanted {
				if slices.Contains(got, u) {
					t.Errorf("candidates hold %q: %v", u, got)
				}
			}
			if directive != tt.directive {
				t.Errorf("directive %s, want %s", directive, tt.directive)
			}
		})
	}
}
