package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/diff"
	"github.com/fluxlint/fluxlint/internal/gitrev"
	"github.com/fluxlint/fluxlint/internal/source"
)

// revisionFindings returns a check's findings with the text of their lines,
// for diff.CompareFindings.
func revisionFindings(res *check.Result) diff.Findings {
	return diff.Findings{Findings: res.Findings, Line: func(file string, line int) string {
		if res.Repo == nil || !source.IsYAMLName(file) {
			return ""
		}
		f, err := res.Repo.File(file)
		if err != nil || f == nil || line < 1 || line > len(f.Lines) {
			return ""
		}
		return f.Lines[line-1]
	}}
}

// A revisionTree is the tree of a git revision read into a temporary
// folder.
type revisionTree struct {
	rev, dir, tmp string
}

// readRevision reads the tree of the git revision rev of the repository
// that holds path into a temporary folder with git archive: the repository
// and its working tree are never written. Close removes the folder.
func readRevision(ctx context.Context, path, rev string) (*revisionTree, error) {
	tmp, err := os.MkdirTemp("", "fluxlint-rev-")
	if err != nil {
		return nil, err
	}
	dir, err := gitrev.Extract(ctx, path, rev, filepath.Join(tmp, "rev"))
	if err != nil {
		return nil, errors.Join(err, os.RemoveAll(tmp))
	}
	return &revisionTree{rev: rev, dir: dir, tmp: tmp}, nil
}

// Close removes the revision's folder.
func (t *revisionTree) Close() error { return os.RemoveAll(t.tmp) }

// onlyNewFindings keeps in res the findings that the repository did not
// have at the revision, as golangci-lint's --new-from-rev does: the
// revision's tree is checked with the same options (the configuration of
// the working tree, so that only the change of the repository counts), and
// findings are matched by fingerprint (rule, file, cluster, object and
// message; not the line, so a finding that a change moves stays old). It
// returns how many findings it dropped.
func (t *revisionTree) onlyNewFindings(ctx context.Context, opts check.Config, deps check.Deps, res *check.Result) (int, error) {
	opts.Path, deps.Progress = t.dir, nil
	// The whole revision: with --shard, the revision's shards need not
	// split the clusters as the working tree's do.
	opts.Shard = check.Shard{}
	baseRes, err := check.Run(ctx, opts, deps)
	switch {
	case errors.Is(err, check.ErrNoClusters):
		baseRes = &check.Result{} // no cluster at the revision: every finding is new
	case err != nil:
		return 0, fmt.Errorf("--new-from-rev: check %s: %w", t.rev, err)
	}
	added := diff.CompareFindings(revisionFindings(baseRes), revisionFindings(res)).Added
	dropped := len(res.Findings) - len(added)
	res.Findings = added
	return dropped, nil
}
