package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/diff"
	"github.com/fluxlint/fluxlint/internal/gitrev"
	"github.com/fluxlint/fluxlint/internal/gitroot"
	"github.com/fluxlint/fluxlint/internal/model"
)

func newDiff(stdout, stderr io.Writer) *cobra.Command {
	var f reportFlags
	var base, head, format string
	cmd := &cobra.Command{
		Use:   "diff [PATH] --base REV",
		Short: "Show what a change does to the rendered objects of every cluster",
		Long: `diff renders and checks the repository twice, at the git revision --base and
as it is in the working tree (or at --head), and prints first the findings
that the change adds and removes (matched by fingerprint: rule, file, cluster,
object and message, so a finding that only moves to another line is neither),
then per cluster the rendered objects that are added, removed or changed, with
a unified diff of each, and the Flux objects whose output changes: the blast
radius of the change. Objects are matched by API group, kind, namespace and
name. Secret values are masked.

The revisions are read with git archive into a temporary folder: diff never
writes into the repository or its .git folder.

Exit codes: 0 the comparison is printed, whether or not anything changes;
2 usage or internal error (no git, an unknown revision).`,
		Example: `  fluxlint diff --base main
  fluxlint diff --base origin/main --format markdown > comment.md
  fluxlint diff ./gitops --base HEAD~1 --head HEAD --html diff.html --offline`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			write, ok := map[string]func(io.Writer, *diff.Result) error{
				"text": diff.WriteText, "markdown": diff.WriteMarkdown,
			}[format]
			if !ok {
				return fmt.Errorf("diff: unknown --format %q (text or markdown)", format)
			}
			if base == "" {
				return fmt.Errorf("diff: --base REV is required")
			}
			prefix := gitroot.Prefix(pathArg(args))
			d, headRes, err := runDiff(cmd.Context(), &f, pathArg(args), base, head, prefix, stderr)
			if err != nil {
				return err
			}
			if err := write(stdout, d); err != nil {
				return err
			}
			if f.html != "" {
				return writeHTMLReport(f.html, headRes, f.title, d, prefix)
			}
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&base, "base", "", "git revision to compare with (required), e.g. main or HEAD~1")
	cmd.Flags().StringVar(&head, "head", "", "git revision to compare (default: the working tree, uncommitted changes included)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text, or markdown for a pull-request comment")
	cmd.Flags().StringVar(&f.html, "html", "", "also write the HTML report of the head revision, with the changes, to this file")
	completeCheckFlags(cmd)
	registerCompletion(cmd, "format", fixedCompletion("text", "markdown"))
	return cmd
}

// runDiff checks both revisions and compares their rendered objects; it
// returns the comparison and the head revision's check. Files and cluster
// folders are named from the folder that prefix is path's path in (the
// top of its Git work tree), as in check's outputs.
func runDiff(ctx context.Context, f *reportFlags, path, base, head, prefix string, stderr io.Writer) (*diff.Result, *check.Result, error) {
	tmp, err := os.MkdirTemp("", "fluxlint-diff-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	baseDir, err := gitrev.Extract(ctx, path, base, filepath.Join(tmp, "base"))
	if err != nil {
		return nil, nil, fmt.Errorf("diff: %w", err)
	}
	headDir, headName := path, "working tree"
	if head != "" {
		if headDir, err = gitrev.Extract(ctx, path, head, filepath.Join(tmp, "head")); err != nil {
			return nil, nil, fmt.Errorf("diff: %w", err)
		}
		headName = head
	}
	baseRes, err := checkAt(ctx, f, baseDir, stderr)
	if err != nil {
		return nil, nil, fmt.Errorf("check %s: %w", base, err)
	}
	headRes, err := checkAt(ctx, f, headDir, stderr)
	if err != nil {
		return nil, nil, fmt.Errorf("check %s: %w", headName, err)
	}
	baseClusters, headClusters, err := diffClusters(baseRes.Clusters, headRes.Clusters, prefix)
	if err != nil {
		return nil, nil, err
	}
	d := diff.Compare(base, headName, baseClusters, headClusters)
	fc := diff.CompareFindings(revisionFindings(baseRes), revisionFindings(headRes))
	// Compared in the checked folder's terms (the lines are read there),
	// printed from the Git root as every output is.
	fc.Added, fc.Removed = findingsUnder(fc.Added, prefix), findingsUnder(fc.Removed, prefix)
	d.Findings = &fc
	return d, headRes, nil
}

func checkAt(ctx context.Context, f *reportFlags, dir string, stderr io.Writer) (*check.Result, error) {
	opts, err := f.checkOptions(dir)
	if err != nil {
		return nil, err
	}
	var deps check.Deps
	endProgress := startProgress(&deps, stderr, false)
	defer endProgress()
	res, err := check.Run(ctx, opts, deps)
	if errors.Is(err, check.ErrNoClusters) {
		// A revision without a cluster (the folder is new, or gone) has
		// nothing to compare: every cluster of the other side is new.
		return &check.Result{}, nil
	}
	return res, err
}

// diffClusters turns both revisions' clusters into masked objects. A value
// that is secret in either revision is masked in both, so that a value
// that stops being a Secret's does not appear in the diff. Files and
// folders are named from the folder that prefix is the checked one's path
// in.
func diffClusters(base, head []*model.Cluster, prefix string) ([]diff.Cluster, []diff.Cluster, error) {
	secrets := map[string][]string{}
	for _, c := range slices.Concat(base, head) {
		secrets[c.Name] = append(secrets[c.Name], check.SecretValues(c)...)
	}
	for name, s := range secrets {
		secrets[name] = longestFirst(s)
	}
	convert := func(cs []*model.Cluster) ([]diff.Cluster, error) {
		out := make([]diff.Cluster, 0, len(cs))
		for _, c := range cs {
			dc := diff.Cluster{Name: c.Name, Path: folderUnder(c.Path, prefix)}
			for _, o := range c.Objects {
				data, err := maskedYAML(o, secrets[c.Name])
				if err != nil {
					return nil, err
				}
				dc.Objects = append(dc.Objects, diff.Object{Ref: o.Ref, YAML: string(data), Origin: o.Origin.Under(prefix).String(),
					Chain: o.Chain, Digest: digest(o.Content)})
			}
			out = append(out, dc)
		}
		return out, nil
	}
	b, err := convert(base)
	if err != nil {
		return nil, nil, err
	}
	h, err := convert(head)
	return b, h, err
}

// digest identifies an object's unmasked content without showing it.
func digest(content map[string]any) string {
	data, err := json.Marshal(content) // map keys are sorted
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// longestFirst sorts secret values longest first without duplicates, so
// that a value is masked before the shorter values it contains.
func longestFirst(values []string) []string {
	slices.SortFunc(values, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		if a < b {
			return -1
		}
		if a > b {
			return 1
		}
		return 0
	})
	return slices.Compact(values)
}
