package policy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/safefile"
	"github.com/fluxlint/fluxlint/rules"
)

// RuleError reports a policy that cannot be loaded, compiled or evaluated.
const RuleError = "policy-error"

// DefaultTimeout bounds one evaluation of one policy rule.
const DefaultTimeout = 10 * time.Second

// builtinPrefix is the package of the built-in rules; builtinLib holds
// their shared helpers, which are not rules.
const (
	builtinPrefix = "fluxlint."
	builtinLib    = "fluxlint.lib"
)

const builtinFile = "rules/"

// unsafeBuiltins are refused at compile time: fluxlint is offline, and the
// policies of a repository are untrusted, so none may reach the network,
// the environment (opa.runtime().env) or a file of the machine. OPA's JSON
// schema builtins resolve a "$ref" to file:// and http:// URLs: a schema of
// {"$ref": "file:///home/runner/.docker/config.json"} reads that file and
// their errors quote it.
var unsafeBuiltins = map[string]struct{}{
	"http.send":          {},
	"json.match_schema":  {},
	"json.verify_schema": {},
	"net.lookup_ip_addr": {},
	"opa.runtime":        {},
}

// Options say which policies to load and how to run them.
type Options struct {
	// Dirs are the user's policy folders; their *.rego files (tests
	// excepted) are loaded, recursively.
	Dirs []string
	// DataFiles are JSON or YAML files (or folders of them) loaded under
	// data, as conftest's --data does.
	DataFiles []string
	// Namespaces are the packages of the user's policies whose rules run;
	// empty means main, as with conftest. "*" runs every package.
	Namespaces []string
	// Combine gives policies the whole cluster as input: a list of
	// {"path": file, "contents": object}, as conftest's --combine does.
	Combine bool
	// RegoV0 parses the user's policies as Rego v0 (pre-1.0 syntax).
	RegoV0 bool
	// NoBuiltins leaves out the built-in rules.
	NoBuiltins bool
	// Disabled rule IDs are not evaluated.
	Disabled map[string]bool
	// Severity overrides the severity of rule IDs.
	Severity map[string]finding.Severity
	// Timeout bounds one evaluation; zero means DefaultTimeout.
	Timeout time.Duration
	// Budget bounds the time of all evaluations of the engine (one run)
	// together; zero means DefaultBudget.
	Budget time.Duration
	// MaxMemory is the heap, in bytes, at which evaluation stops while
	// policies run; zero means DefaultMaxMemory.
	MaxMemory int64
	// Workers is the number of objects evaluated at once; zero means
	// GOMAXPROCS.
	Workers int
}

// An Engine holds compiled policies, ready to evaluate.
type Engine struct {
	// perObject holds the rules evaluated on each object: the built-in
	// ones, and the user's unless Combine; combined the user's with
	// Combine, evaluated on the whole cluster.
	perObject, combined *ruleSet
	combine             bool
	timeout             time.Duration
	budget              *budget
	workers             int
	loadErrs            []finding.Finding
	reported            atomic.Bool
}

// A query is one deny, violation or warn rule of one package, prepared.
type query struct {
	pkg, rule string
	builtin   bool
	ref       ast.Ref
	meta      ruleMeta
	prepared  rego.PreparedEvalQuery
	// multi is true when every definition of the rule is a partial set rule
	// (deny contains msg if ...): its value is always defined.
	multi bool
}

// New loads, parses and compiles the policies. A policy that does not parse
// or compile is reported as a finding on the first Check and left out; the
// error is for folders and data files that cannot be read.
func New(ctx context.Context, opts Options) (*Engine, error) {
	e := &Engine{combine: opts.Combine, timeout: opts.Timeout, workers: opts.Workers,
		budget: newBudget(ctx, opts.Budget, opts.MaxMemory)}
	if e.timeout <= 0 {
		e.timeout = DefaultTimeout
	}
	if e.workers <= 0 {
		e.workers = runtime.GOMAXPROCS(0)
	}
	modules := map[string]*ast.Module{}
	if !opts.NoBuiltins {
		builtins, err := builtinModules()
		if err != nil {
			return nil, err
		}
		maps.Copy(modules, builtins)
	}
	user, errs, err := loadDirs(opts.Dirs, regoVersion(opts.RegoV0))
	if err != nil {
		return nil, err
	}
	maps.Copy(modules, user)
	e.loadErrs = errs
	store, err := loadData(opts.DataFiles)
	if err != nil {
		return nil, err
	}
	compiler, errs := compile(modules)
	e.loadErrs = append(e.loadErrs, errs...)
	if compiler == nil {
		return e, nil
	}
	if err := e.prepare(ctx, compiler, store, opts); err != nil {
		return nil, err
	}
	return e, nil
}

func regoVersion(v0 bool) ast.RegoVersion {
	if v0 {
		return ast.RegoV0
	}
	return ast.RegoV1
}

// newCompiler returns a compiler whose capabilities lack the unsafe
// builtins: a policy that calls one does not compile.
func newCompiler() *ast.Compiler {
	caps := ast.CapabilitiesForThisVersion()
	caps.Builtins = slices.DeleteFunc(caps.Builtins, func(b *ast.Builtin) bool {
		_, unsafe := unsafeBuiltins[b.Name]
		return unsafe
	})
	return ast.NewCompiler().
		WithCapabilities(caps).
		WithEnablePrintStatements(false)
}

// compile compiles the modules; modules with errors are reported and left
// out, and the rest compiled again, so one broken policy never hides the
// others. The compiler is nil when nothing compiles.
func compile(modules map[string]*ast.Module) (*ast.Compiler, []finding.Finding) {
	var out []finding.Finding
	modules = maps.Clone(modules)
	for len(modules) > 0 {
		c := newCompiler()
		if c.Compile(modules); !c.Failed() {
			return c, out
		}
		dropped := false
		for _, e := range c.Errors {
			out = append(out, astErrorFinding(e))
			if e.Location != nil {
				if _, ok := modules[e.Location.File]; ok {
					delete(modules, e.Location.File)
					dropped = true
				}
			}
		}
		if !dropped {
			return nil, out
		}
	}
	return nil, out
}

// astErrorFinding turns a Rego parse or compile error into a finding at its
// place in the policy file.
func astErrorFinding(e *ast.Error) finding.Finding {
	f := finding.Finding{RuleID: RuleError, Severity: finding.Error, Message: "policy: " + e.Message}
	for name := range unsafeBuiltins {
		if strings.HasSuffix(e.Message, "undefined function "+name) {
			f.Message += " (disabled: fluxlint runs offline and gives policies no access to its environment or files)"
		}
	}
	if e.Location != nil {
		f.Pos = finding.Pos{File: filepath.ToSlash(e.Location.File), Line: e.Location.Row, Col: e.Location.Col}
	}
	return f
}

// builtinModules returns the embedded built-in rules, tests excepted, in
// a map of the caller's own. They are parsed once per process: both the
// rule catalogue and every engine need them, and the compiler copies the
// modules it is given, so the parsed ones are never modified.
func builtinModules() (map[string]*ast.Module, error) {
	parsed, err := parsedBuiltins()
	if err != nil {
		return nil, err
	}
	return maps.Clone(parsed), nil
}

var parsedBuiltins = sync.OnceValues(func() (map[string]*ast.Module, error) {
	out := map[string]*ast.Module{}
	err := fs.WalkDir(rules.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !isPolicyFile(path) {
			return err
		}
		src, err := fs.ReadFile(rules.FS, path)
		if err != nil {
			return err
		}
		name := builtinFile + path
		m, err := ast.ParseModuleWithOpts(name, string(src), ast.ParserOptions{RegoVersion: ast.RegoV1, ProcessAnnotation: true})
		if err != nil {
			return fmt.Errorf("built-in rule %s: %w", name, err)
		}
		out[name] = m
		return nil
	})
	return out, err
})

func isPolicyFile(path string) bool {
	return strings.HasSuffix(path, ".rego") && !strings.HasSuffix(path, "_test.rego")
}

// loadDirs parses the *.rego files (tests excepted) under dirs. A file that
// does not parse is a finding; a folder that cannot be read is an error.
func loadDirs(dirs []string, version ast.RegoVersion) (map[string]*ast.Module, []finding.Finding, error) {
	out := map[string]*ast.Module{}
	var errs []finding.Finding
	for _, dir := range dirs {
		if _, err := os.Stat(dir); err != nil {
			return nil, nil, fmt.Errorf("policy folder: %w", err)
		}
		var paths []string
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && isPolicyFile(path) {
				paths = append(paths, path)
			}
			return err
		})
		if err != nil {
			return nil, nil, fmt.Errorf("policy folder %s: %w", dir, err)
		}
		for _, path := range paths {
			m, err := parseFile(path, version)
			if err != nil {
				return nil, nil, err
			}
			if m.err != nil {
				errs = append(errs, m.err...)
				continue
			}
			out[path] = m.module
		}
	}
	return out, errs, nil
}

// parsed is a policy file's module, or the findings of its syntax errors.
type parsed struct {
	module *ast.Module
	err    []finding.Finding
}

// parseFile parses one policy file; syntax errors are findings, the error
// is for a file that cannot be read.
func parseFile(path string, version ast.RegoVersion) (parsed, error) {
	src, err := safefile.ReadFile(path)
	if errors.Is(err, safefile.ErrNotRegular) {
		return parsed{err: []finding.Finding{{RuleID: RuleError, Severity: finding.Error,
			Pos: finding.Pos{File: filepath.ToSlash(path)}, Message: "policy not read: " + err.Error()}}}, nil
	}
	if err != nil {
		return parsed{}, fmt.Errorf("policy: %w", err)
	}
	m, err := ast.ParseModuleWithOpts(path, string(src), ast.ParserOptions{RegoVersion: version, ProcessAnnotation: true})
	var astErrs ast.Errors
	switch {
	case errors.As(err, &astErrs):
		var out []finding.Finding
		for _, e := range astErrs {
			out = append(out, astErrorFinding(e))
		}
		return parsed{err: out}, nil
	case err != nil:
		return parsed{}, fmt.Errorf("policy %s: %w", path, err)
	}
	return parsed{module: m}, nil
}

// loadData reads JSON and YAML data files into a store, at the root of data
// as conftest and opa eval do.
func loadData(paths []string) (storage.Store, error) {
	if len(paths) == 0 {
		return inmem.New(), nil
	}
	for _, p := range paths {
		// A FIFO given as a data file would block the loader forever.
		if err := safefile.Check(p); err != nil {
			return nil, fmt.Errorf("data: %w", err)
		}
	}
	res, err := loader.NewFileLoader().Filtered(paths, func(_ string, info fs.FileInfo, _ int) bool {
		if info.IsDir() {
			return false
		}
		if !info.Mode().IsRegular() {
			return true // a FIFO, device or socket in a data folder
		}
		switch strings.ToLower(filepath.Ext(info.Name())) {
		case ".json", ".yaml", ".yml":
			return false
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	return inmem.NewFromObject(res.Documents), nil
}

// prepare finds the rules to run and prepares one query for each.
func (e *Engine) prepare(ctx context.Context, c *ast.Compiler, store storage.Store, opts Options) error {
	namespaces := opts.Namespaces
	if len(namespaces) == 0 {
		namespaces = []string{"main"}
	}
	annotations := c.GetAnnotationSet()
	seen := map[string]bool{}
	var queries []*query
	for _, name := range slices.Sorted(maps.Keys(c.Modules)) {
		m := c.Modules[name]
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		builtin := strings.HasPrefix(name, builtinFile)
		if !runs(pkg, builtin, namespaces) {
			continue
		}
		for _, r := range m.Rules {
			rule := r.Head.Ref()[0].String()
			if !isResultRule(rule) || seen[pkg+"."+rule] {
				continue
			}
			seen[pkg+"."+rule] = true
			meta := metaOf(annotations.Chain(r), pkg, rule)
			if opts.Disabled[meta.ID] {
				continue
			}
			if s, ok := opts.Severity[meta.ID]; ok {
				meta.Severity = s
			}
			ref := m.Package.Path.Append(ast.StringTerm(rule))
			pq, err := rego.New(
				rego.Compiler(c), rego.Store(store), rego.Query(ref.String()),
				rego.EnablePrintStatements(false),
			).PrepareForEval(ctx)
			if err != nil {
				return fmt.Errorf("prepare %s: %w", ref, err)
			}
			queries = append(queries, &query{pkg: pkg, rule: rule, builtin: builtin, ref: ref, meta: meta, prepared: pq, multi: multiValue(c.GetRulesExact(ref))})
		}
	}
	var perObject, combined []*query
	for _, q := range queries {
		if opts.Combine && !q.builtin {
			combined = append(combined, q)
		} else {
			perObject = append(perObject, q)
		}
	}
	var err error
	if e.perObject, err = newRuleSet(ctx, c, store, perObject, true); err != nil {
		return err
	}
	e.combined, err = newRuleSet(ctx, c, store, combined, false)
	return err
}

func multiValue(rules []*ast.Rule) bool {
	for _, r := range rules {
		if r.Head.RuleKind() != ast.MultiValue {
			return false
		}
	}
	return len(rules) > 0
}

// runs reports whether the rules of a package are evaluated.
func runs(pkg string, builtin bool, namespaces []string) bool {
	if builtin {
		return strings.HasPrefix(pkg, builtinPrefix) && pkg != builtinLib && !strings.HasPrefix(pkg, builtinLib+".")
	}
	return slices.Contains(namespaces, "*") || slices.Contains(namespaces, pkg)
}

// isResultRule reports whether a rule name is one conftest evaluates: deny,
// violation or warn, alone or with an underscore suffix.
func isResultRule(name string) bool {
	for _, kind := range []string{"deny", "violation", "warn"} {
		if name == kind || strings.HasPrefix(name, kind+"_") {
			return true
		}
	}
	return false
}
