package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// bootstrapSync is a flux bootstrap sync of the folder clusters/NAME.
func bootstrapSync(name string) string {
	return strings.Replace(subfolderSync, "./gitops/clusters/a", "./clusters/"+name, 1)
}

// TestInitPrints runs init on a repository of two bootstrap clusters and
// a clusters/base folder that both include: it prints a configuration
// that names the two clusters (base is a part of them, not a cluster), a
// pre-commit entry and a workflow, and writes nothing.
func TestInitPrints(t *testing.T) {
	repo := writeRepo(t, map[string]string{
		"clusters/production/flux-system/gotk-sync.yaml":     bootstrapSync("production"),
		"clusters/production/flux-system/kustomization.yaml": "resources: [gotk-sync.yaml]\n",
		"clusters/production/kustomization.yaml":             "resources: [flux-system, ../base]\n",
		"clusters/staging/flux-system/gotk-sync.yaml":        bootstrapSync("staging"),
		"clusters/staging/flux-system/kustomization.yaml":    "resources: [gotk-sync.yaml]\n",
		"clusters/staging/kustomization.yaml":                "resources: [flux-system, ../base]\n",
		"clusters/base/kustomization.yaml":                   "resources: [app.yaml]\n",
		"clusters/base/app.yaml":                             subfolderApp,
	})
	before := treeHash(t, repo)
	out := runOutput(t, "init", repo)
	if after := treeHash(t, repo); after != before {
		t.Fatal("init without --write changed the repository")
	}
	files := splitInitOutput(t, out)
	cfgFile := filepath.Join(t.TempDir(), ConfigFile)
	if err := os.WriteFile(cfgFile, []byte(files[ConfigFile]), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := loadConfig(cfgFile, true)
	if err != nil {
		t.Fatalf("the printed configuration does not load: %v\n%s", err, files[ConfigFile])
	}
	want := []ClusterConfig{{Name: "production", Path: "clusters/production"}, {Name: "staging", Path: "clusters/staging"}}
	if len(cfg.Clusters) != len(want) || cfg.Clusters[0] != want[0] || cfg.Clusters[1] != want[1] {
		t.Errorf("clusters %+v, want %+v", cfg.Clusters, want)
	}
	if !strings.HasPrefix(files[ConfigFile], schemaModeline) {
		t.Errorf("the configuration does not start with the schema modeline:\n%s", files[ConfigFile])
	}
	// The configuration gives check the clusters discovery finds.
	code, got := runCmd(t, "check", repo, "--config", cfgFile, "--offline", "-q", "--fail-on", "none")
	if code != ExitOK || strings.Contains(got, "fluxlint:") {
		t.Errorf("check with the printed configuration: exit %d\n%s", code, got)
	}
	hook := files[".pre-commit-config.yaml"]
	if !strings.Contains(hook, "rev: "+defaultRelease) || !strings.Contains(hook, "- id: fluxlint") || strings.Contains(hook, "args:") {
		t.Errorf("pre-commit entry:\n%s", hook)
	}
	step := workflowStep(t, files[".github/workflows/fluxlint.yaml"])
	if step.Uses != "fluxlint/fluxlint@"+defaultRelease || step.With["path"] != "." || step.With["format"] != "github" || step.With["upload-sarif"] != "true" {
		t.Errorf("workflow step %+v", step)
	}
}

// TestInitWritesInSubfolder runs init --write on the folder gitops of a
// Git work tree: .fluxlint.yaml goes into gitops, the hook and workflow
// to the top, naming gitops; files that exist are kept unless --force.
func TestInitWritesInSubfolder(t *testing.T) {
	top := subfolderRepo(t)
	dir := filepath.Join(top, "gitops")
	out := runOutput(t, "init", dir, "--write")
	cfgPath := filepath.Join(dir, ConfigFile)
	hookPath := filepath.Join(top, ".pre-commit-config.yaml")
	flowPath := filepath.Join(top, ".github", "workflows", "fluxlint.yaml")
	for _, p := range []string{cfgPath, hookPath, flowPath} {
		if !strings.Contains(out, "wrote "+p+"\n") {
			t.Errorf("output does not say %s was written:\n%s", p, out)
		}
	}
	cfg, err := loadConfig(cfgPath, false)
	if err != nil || len(cfg.Clusters) != 1 || cfg.Clusters[0] != (ClusterConfig{Name: "a", Path: "clusters/a"}) {
		t.Errorf("written configuration: %+v, %v", cfg.Clusters, err)
	}
	if hook := readString(t, hookPath); !strings.Contains(hook, "args: [--offline, gitops]") {
		t.Errorf("the hook does not check gitops:\n%s", hook)
	}
	if step := workflowStep(t, readString(t, flowPath)); step.With["path"] != "gitops" {
		t.Errorf("the workflow checks %q, want gitops", step.With["path"])
	}

	// A second run keeps the files, one of them changed by hand.
	if err := os.WriteFile(hookPath, []byte("repos: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), []string{"init", dir, "--write"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("second init: exit %d: %s", code, stderr.String())
	}
	if got := readString(t, hookPath); got != "repos: []\n" {
		t.Errorf("init --write overwrote %s:\n%s", hookPath, got)
	}
	if !strings.Contains(stderr.String(), hookPath+" exists") || strings.Contains(stdout.String(), "wrote /") ||
		!strings.Contains(stdout.String(), "- id: fluxlint") {
		t.Errorf("second init: stdout\n%s\nstderr\n%s", stdout.String(), stderr.String())
	}
	runOutput(t, "init", dir, "--write", "--force")
	if got := readString(t, hookPath); !strings.Contains(got, "- id: fluxlint") {
		t.Errorf("init --write --force kept %s:\n%s", hookPath, got)
	}
}

// TestInitWritesNothingOutside gives init --write --force a repository
// whose .github folder and .fluxlint.yaml are symbolic links out of it:
// it refuses, and nothing outside changes.
func TestInitWritesNothingOutside(t *testing.T) {
	tests := []struct {
		name, link string
	}{
		{name: "folder", link: ".github"},
		{name: "configuration", link: filepath.Join("gitops", ConfigFile)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top := subfolderRepo(t)
			outside := t.TempDir()
			target := filepath.Join(outside, "target")
			if tt.name == "folder" {
				target = outside
			} else if err := os.WriteFile(target, []byte("mine\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, filepath.Join(top, tt.link)); err != nil {
				t.Fatal(err)
			}
			before := treeHash(t, outside)
			code, out := runCmd(t, "init", filepath.Join(top, "gitops"), "--write", "--force")
			if code != ExitError || !strings.Contains(out, "not writing") {
				t.Errorf("exit %d, want 2 and a refusal:\n%s", code, out)
			}
			if after := treeHash(t, outside); after != before {
				t.Error("init wrote outside the repository")
			}
		})
	}
}

func TestInitWithoutClusters(t *testing.T) {
	repo := writeRepo(t, map[string]string{"README.md": "no Flux here\n"})
	code, out := runCmd(t, "init", repo)
	if code != ExitError || !strings.Contains(out, "init: no Flux cluster found") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

// splitInitOutput splits init's output at its "# --- NAME ---" lines.
func splitInitOutput(t *testing.T, out string) map[string]string {
	t.Helper()
	files := map[string]string{}
	name := ""
	for _, line := range strings.SplitAfter(out, "\n") {
		if rest, ok := strings.CutPrefix(line, "# --- "); ok {
			name = strings.TrimSuffix(strings.TrimSpace(rest), " ---")
			continue
		}
		files[name] += line
	}
	for _, want := range []string{ConfigFile, ".pre-commit-config.yaml", ".github/workflows/fluxlint.yaml"} {
		if files[want] == "" {
			t.Fatalf("init output lacks %s:\n%s", want, out)
		}
	}
	return files
}

// A workflowUse is the step of a workflow that uses the fluxlint Action.
type workflowUse struct {
	Uses string            `yaml:"uses"`
	With map[string]string `yaml:"with"`
}

// workflowStep parses a workflow and returns its fluxlint step.
func workflowStep(t *testing.T, text string) workflowUse {
	t.Helper()
	var flow struct {
		Permissions map[string]string `yaml:"permissions"`
		Jobs        map[string]struct {
			Steps []workflowUse `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(text), &flow); err != nil {
		t.Fatalf("workflow: %v\n%s", err, text)
	}
	if flow.Permissions["security-events"] != "write" {
		t.Errorf("the workflow cannot upload SARIF: permissions %v", flow.Permissions)
	}
	for _, s := range flow.Jobs["fluxlint"].Steps {
		if strings.HasPrefix(s.Uses, "fluxlint/fluxlint@") {
			return s
		}
	}
	t.Fatalf("no step uses the fluxlint Action:\n%s", text)
	return workflowUse{}
}
