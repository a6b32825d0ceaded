package policy

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/fluxlint/fluxlint/rules"
)

// A TestResult is the outcome of one Rego test rule.
type TestResult struct {
	// Name is the test's package and rule: data.main.test_deny.
	Name string
	// Pos is where the test is written, file:line.
	Pos string
	// Pass, or else Err says why it failed (nil for a plain failure).
	Pass bool
	Err  error
	// Output is what the test printed.
	Output string
}

// TestOptions say which Rego tests to run.
type TestOptions struct {
	// Dirs are folders (or files) of policies, tests and data files; the
	// embedded built-in rules when FS is set.
	Dirs []string
	// FS, when set, is read instead of the file system.
	FS fs.FS
	// RegoV0 parses the policies as Rego v0.
	RegoV0 bool
	// Timeout bounds each test; zero means DefaultTimeout.
	Timeout time.Duration
}

// RunTests runs the test_ rules of Rego files as opa test and conftest
// verify do, with the same builtins as checks. Results are sorted by name.
// The error is for files that do not load or compile.
func RunTests(ctx context.Context, opts TestOptions) ([]TestResult, error) {
	l := loader.NewFileLoader().WithRegoVersion(regoVersion(opts.RegoV0)).WithProcessAnnotation(true)
	if opts.FS != nil {
		l = l.WithFS(opts.FS)
	}
	loaded, err := l.Filtered(opts.Dirs, func(_ string, info fs.FileInfo, _ int) bool {
		return strings.HasPrefix(info.Name(), ".") && info.Name() != "." && info.Name() != ".."
	})
	if err != nil {
		return nil, fmt.Errorf("load policies: %w", err)
	}
	store := inmem.NewFromObject(loaded.Documents)
	txn, err := store.NewTransaction(ctx)
	if err != nil {
		return nil, err
	}
	defer store.Abort(ctx, txn)
	timeout := cmp.Or(opts.Timeout, DefaultTimeout)
	runner := tester.NewRunner().
		SetCompiler(newCompiler().WithEnablePrintStatements(true)).
		SetStore(store).
		SetModules(loaded.ParsedModules()).
		CapturePrintOutput(true).
		SetTimeout(timeout).
		SetDefaultRegoVersion(regoVersion(opts.RegoV0))
	ch, err := runner.RunTests(ctx, txn)
	if err != nil {
		return nil, fmt.Errorf("compile policies: %w", err)
	}
	var out []TestResult
	for r := range ch {
		tr := TestResult{Name: r.Package + "." + r.Name, Pass: r.Pass(), Err: r.Error, Output: string(r.Output)}
		if r.Location != nil {
			tr.Pos = fmt.Sprintf("%s:%d", r.Location.File, r.Location.Row)
		}
		out = append(out, tr)
	}
	slices.SortFunc(out, func(a, b TestResult) int { return strings.Compare(a.Name, b.Name) })
	return out, ctx.Err()
}

// BuiltinTests runs the tests of the built-in rules.
func BuiltinTests(ctx context.Context) ([]TestResult, error) {
	return RunTests(ctx, TestOptions{Dirs: []string{"."}, FS: rules.FS})
}
