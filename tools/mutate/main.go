// Command mutate measures the reference checks: it copies the shared
// corpora to a temporary folder, injects one defect at a time (a renamed
// reference, a renamed referenced object, a renamed key, a broken
// selector), runs the whole check in-process, and prints, per class, how
// many defects were found at the right file and line (recall) and how many
// new findings appeared elsewhere (candidate false positives, listed).
//
// It is a measuring tool, not a test: run it by hand, outside CI.
//
//	go -C tools run ./mutate [-corpora ../../shared/corpora] [-v]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mutate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	corpora := fs.String("corpora", "../../shared/corpora", "folder of the corpora (the default is right when run from tools/)")
	verbose := fs.Bool("v", false, "print every mutation")
	sample := fs.Int("sample", 0, "at most this many mutations of each class in each corpus, spread evenly (0: all)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	names := fs.Args()
	if len(names) == 0 {
		names = []string{"flux2-kustomize-helm-example", "flux2-multi-tenancy", "gitops-fluxcd-demo", "buroa-k8s-gitops", "d2-fleet"}
	}
	var all []outcome
	for _, name := range names {
		out, err := mutateCorpus(ctx, filepath.Join(*corpora, name), name, *sample)
		if err != nil {
			fmt.Fprintf(stderr, "mutate: %s: %v\n", name, err)
			return 2
		}
		all = append(all, out...)
	}
	printReport(stdout, all, *verbose)
	return 0
}

// An outcome is what one mutation gave.
type outcome struct {
	corpus string
	m      mutation
	found  bool
	// near: not at the line, but a few lines above it in the same file
	// (the enclosing field, as for a HelmRelease's spec.chart).
	near bool
	// extra are new findings away from the expected lines.
	extra []finding.Finding
}

// mutateCorpus copies a corpus, checks it once as it is, then once per
// mutation.
func mutateCorpus(ctx context.Context, src, name string, sample int) ([]outcome, error) {
	dir, err := os.MkdirTemp("", "fluxlint-mutate-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		return nil, fmt.Errorf("copy: %w", err)
	}
	base, read, rendered, err := findings(ctx, dir)
	if err != nil {
		return nil, err
	}
	muts, err := plan(dir)
	if err != nil {
		return nil, err
	}
	muts = spread(reachable(muts, read), sample)
	for i := range muts {
		muts[i].unrendered = muts[i].targetKind != "" && !rendered[muts[i].targetKind+"/"+muts[i].old]
	}
	var out []outcome
	for _, m := range muts {
		o, err := try(ctx, dir, m, base)
		if err != nil {
			return nil, err
		}
		o.corpus = name
		out = append(out, o)
	}
	return out, nil
}

// reachable keeps the mutations of files that a cluster reads: elsewhere
// there is nothing to find.
func reachable(muts []mutation, read map[string]bool) []mutation {
	var out []mutation
	for _, m := range muts {
		if read[m.file] {
			out = append(out, m)
		}
	}
	return out
}

// spread keeps at most n mutations of each class, evenly spaced in plan
// order; n <= 0 keeps all.
func spread(muts []mutation, n int) []mutation {
	if n <= 0 {
		return muts
	}
	byClass := map[string][]mutation{}
	var classes []string
	for _, m := range muts {
		if byClass[m.class] == nil {
			classes = append(classes, m.class)
		}
		byClass[m.class] = append(byClass[m.class], m)
	}
	var out []mutation
	for _, c := range classes {
		ms := byClass[c]
		if len(ms) <= n {
			out = append(out, ms...)
			continue
		}
		for i := range n {
			out = append(out, ms[i*len(ms)/n])
		}
	}
	return out
}

// try applies one mutation, checks, and restores the file.
func try(ctx context.Context, dir string, m mutation, base map[string]bool) (outcome, error) {
	path := filepath.Join(dir, m.file)
	orig, err := os.ReadFile(path)
	if err != nil {
		return outcome{}, err
	}
	defer restore(path, orig)
	if err := write(path, m.apply(orig)); err != nil {
		return outcome{}, err
	}
	res, err := run1(ctx, dir)
	if err != nil {
		return outcome{}, err
	}
	o := outcome{m: m}
	for _, f := range res {
		if base[key(f)] || f.Severity == finding.Info {
			continue
		}
		if m.expects(f) {
			o.found = true
			continue
		}
		if m.near(f) {
			o.near = true
			continue
		}
		o.extra = append(o.extra, f)
	}
	return o, nil
}

// write writes a file of our own temporary copy.
func write(path string, data []byte) error {
	return os.WriteFile(path, data, 0o600) //nolint:gosec // G703: path is a file of our own temporary copy
}

// restore puts a mutated file back; a failure shows in the next mutation's
// findings, so it is not fatal.
func restore(path string, data []byte) {
	if err := write(path, data); err != nil {
		fmt.Fprintln(os.Stderr, "mutate: restore:", err)
	}
}

// key identifies a finding for telling the new ones of a mutation from
// those of the clean copy: a finding whose severity changed (information
// about a Secret made by hand that is now a warning about a misspelling)
// is new.
func key(f finding.Finding) string {
	return fmt.Sprintf("%s|%s|%d|%s|%s", f.RuleID, f.Pos.File, f.Pos.Line, f.Cluster, f.Severity)
}

// findings checks the unchanged copy: its findings, the files its
// clusters read, and the kinds and names of the objects it renders or
// that they make once applied (an ExternalSecret's Secret).
func findings(ctx context.Context, dir string) (base, read, rendered map[string]bool, err error) {
	res, err := check.Run(ctx, options(dir), check.Deps{})
	if err != nil {
		return nil, nil, nil, err
	}
	base, read, rendered = map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, f := range res.Findings {
		base[key(f)] = true
	}
	for _, c := range res.Clusters {
		for _, f := range c.FilesRead {
			read[f] = true
		}
		for _, o := range c.Objects {
			rendered[o.Ref.Kind+"/"+o.Ref.Name] = true
			for _, m := range model.Produces(o) {
				rendered[m.Kind+"/"+m.Name] = true
			}
		}
	}
	return base, read, rendered, nil
}

// options checks offline with an empty chart cache of its own, so that no
// remote chart is available, as on a machine that never pulled one.
func options(dir string) check.Config {
	return check.Config{Path: dir, Offline: true, CacheDir: filepath.Join(filepath.Dir(dir), filepath.Base(dir)+"-charts")}
}

func run1(ctx context.Context, dir string) ([]finding.Finding, error) {
	res, err := check.Run(ctx, options(dir), check.Deps{})
	if err != nil {
		return nil, err
	}
	return res.Findings, nil
}

func printReport(w io.Writer, all []outcome, verbose bool) {
	type tally struct{ n, found, near, withExtra, rendered, renderedFound int }
	byClass := map[string]*tally{}
	total := &tally{}
	for _, o := range all {
		t := byClass[o.m.class]
		if t == nil {
			t = &tally{}
			byClass[o.m.class] = t
		}
		for _, x := range []*tally{t, total} {
			x.n++
			if o.found {
				x.found++
			} else if o.near {
				x.near++
			}
			if len(o.extra) > 0 {
				x.withExtra++
			}
			if !o.m.unrendered {
				x.rendered++
				if o.found {
					x.renderedFound++
				}
			}
		}
		if verbose || !o.found || len(o.extra) > 0 {
			printOutcome(w, o)
		}
	}
	classes := make([]string, 0, len(byClass))
	for c := range byClass {
		classes = append(classes, c)
	}
	slices.Sort(classes)
	fmt.Fprintln(w, "\nclass             mutations  at line  recall  near line  with other new findings  target rendered  recall there")
	row := func(name string, t *tally) {
		fmt.Fprintf(w, "%-17s %9d %8d  %5.1f%%  %9d  %22d  %15d  %5.1f%%\n", name, t.n, t.found, pct(t.found, t.n), t.near, t.withExtra,
			t.rendered, pct(t.renderedFound, t.rendered))
	}
	for _, c := range classes {
		row(c, byClass[c])
	}
	row("total", total)
	fmt.Fprintln(w, "(target rendered: the mutations of a reference whose unchanged target is an object the clean copy renders offline,\n"+
		"or of anything but a reference; the others name what an unrendered chart, an operator or an outside source makes)")
}

func printOutcome(w io.Writer, o outcome) {
	status := "MISSED"
	switch {
	case o.found:
		status = "found "
	case o.near:
		status = "near  "
	}
	unrendered := ""
	if o.m.unrendered {
		unrendered = " [target not rendered]"
	}
	fmt.Fprintf(w, "%s %s %s: %s%s\n", status, o.corpus, o.m.class, o.m.describe(), unrendered)
	for _, f := range o.extra {
		fmt.Fprintf(w, "         also: %s [%s] %s\n", strings.TrimSpace(f.Pos.String()), f.Cluster, firstLine(f.Message+" ["+f.RuleID+"]"))
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}
