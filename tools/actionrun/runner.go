package actionrun

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// An Action is the part of an action.yml that the runner reads.
type Action struct {
	Inputs map[string]struct {
		Default string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Value string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []Step `yaml:"steps"`
	} `yaml:"runs"`
}

// A Step is one step of a composite action.
type Step struct {
	ID              string            `yaml:"id"`
	Name            string            `yaml:"name"`
	If              string            `yaml:"if"`
	Shell           string            `yaml:"shell"`
	Run             string            `yaml:"run"`
	Uses            string            `yaml:"uses"`
	Env             map[string]string `yaml:"env"`
	With            map[string]string `yaml:"with"`
	ContinueOnError bool              `yaml:"continue-on-error"`
}

// A UsesFunc stands in for the action a uses: step names: it gets the
// step's with: values (expressions expanded) and returns its outputs. An
// error fails the step.
type UsesFunc func(with map[string]string) (map[string]string, error)

// A Runner runs composite actions in a fake runner environment.
type Runner struct {
	// ActionPath is the folder of action.yml (GITHUB_ACTION_PATH).
	ActionPath string
	// ActionRef is the ref the workflow named the action with (github.action_ref).
	ActionRef string
	// Workspace is GITHUB_WORKSPACE, the steps' working folder.
	Workspace string
	// Temp and ToolCache are RUNNER_TEMP and RUNNER_TOOL_CACHE.
	Temp, ToolCache string
	// OS and Arch are RUNNER_OS (Linux, macOS, Windows) and RUNNER_ARCH (X64, ARM64).
	OS, Arch string
	// Env is the environment every step starts from (PATH, HOME, ...).
	Env []string
	// Uses maps an action name without its @ref to its stand-in.
	Uses map[string]UsesFunc
	// Log receives each step's output, as the job log would.
	Log io.Writer
}

// A StepResult is what one step did.
type StepResult struct {
	// Outcome is success, failure or skipped.
	Outcome string
	Outputs map[string]string
}

// A Result is what a run of the action did.
type Result struct {
	// Outputs are the action's outputs.
	Outputs map[string]string
	// Steps are the steps' results by id (by name when a step has no id).
	Steps map[string]StepResult
	// Failed is whether a step failed (without continue-on-error).
	Failed bool
	// Path is what the steps added to GITHUB_PATH, in order.
	Path []string
}

// LoadAction reads the action.yml of folder dir.
func LoadAction(dir string) (*Action, error) {
	data, err := os.ReadFile(filepath.Join(dir, "action.yml"))
	if err != nil {
		return nil, fmt.Errorf("read action: %w", err)
	}
	var a Action
	if err := yaml.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("parse action.yml: %w", err)
	}
	if a.Runs.Using != "composite" {
		return nil, fmt.Errorf("action.yml: runs.using is %q, not composite", a.Runs.Using)
	}
	return &a, nil
}

// Run runs the action of r.ActionPath with the given inputs (the others
// take their defaults; an input the action does not declare is an error).
func (r *Runner) Run(ctx context.Context, inputs map[string]string) (*Result, error) {
	a, err := LoadAction(r.ActionPath)
	if err != nil {
		return nil, err
	}
	sc := scope{values: r.context()}
	for name := range inputs {
		if _, ok := a.Inputs[name]; !ok {
			return nil, fmt.Errorf("input %q is not declared in action.yml", name)
		}
	}
	for name, in := range a.Inputs {
		v, ok := inputs[name]
		if !ok {
			v = in.Default
		}
		sc.values["inputs."+name] = v
	}
	res := &Result{Outputs: map[string]string{}, Steps: map[string]StepResult{}}
	for i, st := range a.Runs.Steps {
		if err := r.step(ctx, i, st, &sc, res); err != nil {
			return res, fmt.Errorf("step %d (%s): %w", i+1, stepName(st), err)
		}
	}
	for name, out := range a.Outputs {
		v, err := sc.expand(out.Value)
		if err != nil {
			return res, fmt.Errorf("output %s: %w", name, err)
		}
		res.Outputs[name] = v
	}
	return res, nil
}

// context returns the github.* and runner.* names the expressions may use.
func (r *Runner) context() map[string]string {
	return map[string]string{
		"github.action_path": r.ActionPath,
		"github.action_ref":  r.ActionRef,
		"github.workspace":   r.Workspace,
		"runner.os":          r.OS,
		"runner.arch":        r.Arch,
		"runner.temp":        r.Temp,
		"runner.tool_cache":  r.ToolCache,
	}
}

func stepName(st Step) string {
	if st.Name != "" {
		return st.Name
	}
	if st.ID != "" {
		return st.ID
	}
	return st.Uses
}

// step runs step i when its condition holds and records its result.
func (r *Runner) step(ctx context.Context, i int, st Step, sc *scope, res *Result) error {
	key := st.ID
	if key == "" {
		key = fmt.Sprintf("#%d %s", i+1, stepName(st))
	}
	run, err := sc.condition(st.If)
	if err != nil {
		return err
	}
	if !run {
		fmt.Fprintf(r.Log, "--- %s: skipped\n", stepName(st))
		res.Steps[key] = StepResult{Outcome: "skipped"}
		sc.values["steps."+st.ID+".outcome"] = "skipped"
		return nil
	}
	fmt.Fprintf(r.Log, "--- %s\n", stepName(st))
	var done ran
	switch {
	case st.Run != "":
		done, err = r.runStep(ctx, st, sc, res)
	case st.Uses != "":
		done, err = r.usesStep(st, sc)
	default:
		err = errors.New("neither run nor uses")
	}
	if err != nil {
		return err
	}
	outcome := "success"
	if done.failure != nil {
		outcome = "failure"
		fmt.Fprintf(r.Log, "::error::%s failed: %v\n", stepName(st), done.failure)
		if !st.ContinueOnError {
			sc.failed, res.Failed = true, true
		}
	}
	res.Steps[key] = StepResult{Outcome: outcome, Outputs: done.outputs}
	sc.values["steps."+st.ID+".outcome"] = outcome
	for k, v := range done.outputs {
		sc.values["steps."+st.ID+".outputs."+k] = v
	}
	return nil
}

// ran is what a step that ran did: its outputs, and why it failed (nil
// when it succeeded).
type ran struct {
	outputs map[string]string
	failure error
}

// usesStep hands a uses: step to its stand-in. The error is the runner's;
// the step's own failure is in ran.
func (r *Runner) usesStep(st Step, sc *scope) (ran, error) {
	name, _, _ := strings.Cut(st.Uses, "@")
	fn, ok := r.Uses[name]
	if !ok {
		return ran{}, fmt.Errorf("no stand-in for uses: %s", st.Uses)
	}
	with := map[string]string{}
	for k, v := range st.With {
		e, err := sc.expand(v)
		if err != nil {
			return ran{}, fmt.Errorf("with.%s: %w", k, err)
		}
		with[k] = e
	}
	out, err := fn(with)
	return ran{outputs: out, failure: err}, nil
}

// runStep runs a run: step with bash, as GitHub's "shell: bash" does
// (bash --noprofile --norc -eo pipefail FILE). The error is the runner's;
// the step's own failure (bash's exit status) is in ran.
func (r *Runner) runStep(ctx context.Context, st Step, sc *scope, res *Result) (ran, error) {
	if st.Shell != "bash" {
		return ran{}, fmt.Errorf("shell %q: only bash is supported (and required on every OS)", st.Shell)
	}
	script, err := sc.expand(st.Run)
	if err != nil {
		return ran{}, err
	}
	files, err := r.stepFiles(script)
	if err != nil {
		return ran{}, err
	}
	env, err := r.stepEnv(st, sc, res, files)
	if err != nil {
		return ran{}, err
	}
	// The script is the action's own run: step, written to a file of this run.
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-eo", "pipefail", files.script) //nolint:gosec // G204: running the action's steps is this package's job
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = r.Workspace, env, r.Log, r.Log
	stepErr := cmd.Run()
	var exitErr *exec.ExitError
	if stepErr != nil && !errors.As(stepErr, &exitErr) {
		return ran{}, fmt.Errorf("run bash: %w", stepErr)
	}
	outputs, err := readOutputs(files.output)
	if err != nil {
		return ran{}, err
	}
	added, err := readLines(files.path)
	if err != nil {
		return ran{}, err
	}
	for _, p := range added {
		if p != "" {
			res.Path = append(res.Path, p)
		}
	}
	return ran{outputs: outputs, failure: stepErr}, nil
}

// stepFiles are the files of one run step.
type stepFiles struct{ script, output, path string }

func (r *Runner) stepFiles(script string) (stepFiles, error) {
	dir, err := os.MkdirTemp(r.Temp, "step-")
	if err != nil {
		return stepFiles{}, fmt.Errorf("step folder: %w", err)
	}
	f := stepFiles{script: filepath.Join(dir, "run.sh"), output: filepath.Join(dir, "output"), path: filepath.Join(dir, "path")}
	for name, content := range map[string]string{f.script: script, f.output: "", f.path: ""} {
		if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
			return stepFiles{}, fmt.Errorf("step file: %w", err)
		}
	}
	return f, nil
}

// stepEnv is the environment of a run step: the runner's, the GITHUB_PATH
// entries of earlier steps in front of PATH, the runner variables, and the
// step's env: with expressions expanded.
func (r *Runner) stepEnv(st Step, sc *scope, res *Result, files stepFiles) ([]string, error) {
	vars := map[string]string{}
	for _, kv := range r.Env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			vars[k] = v
		}
	}
	if len(res.Path) > 0 {
		prefix := make([]string, 0, len(res.Path))
		for i := len(res.Path) - 1; i >= 0; i-- {
			prefix = append(prefix, res.Path[i])
		}
		vars["PATH"] = strings.Join(append(prefix, vars["PATH"]), string(os.PathListSeparator))
	}
	for k, v := range map[string]string{
		"GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_ACTION_PATH": r.ActionPath, "GITHUB_WORKSPACE": r.Workspace,
		"GITHUB_OUTPUT": files.output, "GITHUB_PATH": files.path, "GITHUB_STEP_SUMMARY": filepath.Join(r.Temp, "step-summary.md"),
		"RUNNER_OS": r.OS, "RUNNER_ARCH": r.Arch, "RUNNER_TEMP": r.Temp, "RUNNER_TOOL_CACHE": r.ToolCache,
	} {
		vars[k] = v
	}
	for k, v := range st.Env {
		e, err := sc.expand(v)
		if err != nil {
			return nil, fmt.Errorf("env.%s: %w", k, err)
		}
		vars[k] = e
	}
	env := make([]string, 0, len(vars))
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return env, nil
}

// readOutputs parses a GITHUB_OUTPUT file: NAME=VALUE lines and
// NAME<<DELIMITER blocks.
func readOutputs(name string) (map[string]string, error) {
	lines, err := readLines(name)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for i := 0; i < len(lines); i++ {
		if lines[i] == "" {
			continue
		}
		if k, delim, ok := strings.Cut(lines[i], "<<"); ok && !strings.Contains(k, "=") {
			var value []string
			for i++; i < len(lines) && lines[i] != delim; i++ {
				value = append(value, lines[i])
			}
			if i == len(lines) {
				return nil, fmt.Errorf("GITHUB_OUTPUT: %s<<%s has no closing %s", k, delim, delim)
			}
			out[k] = strings.Join(value, "\n")
			continue
		}
		k, v, ok := strings.Cut(lines[i], "=")
		if !ok {
			return nil, fmt.Errorf("GITHUB_OUTPUT: line %q is neither NAME=VALUE nor NAME<<DELIMITER", lines[i])
		}
		out[k] = v
	}
	return out, nil
}

func readLines(name string) ([]string, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Base(name), err)
	}
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		lines = append(lines, strings.TrimSuffix(sc.Text(), "\r"))
	}
	return lines, nil
}
