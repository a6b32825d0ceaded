package cli

import (
	"path"
	"slices"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/gitroot"
)

// outputPaths returns the folder that outputs name files from and the
// checked folder's slash-separated path inside it: the top of the Git work
// tree that holds the checked folder, so that GitHub annotations and code
// scanning find the files when the Flux tree is a subfolder of the
// repository, else the checked folder itself (prefix ""). The
// configuration's own paths stay relative to the checked folder.
func outputPaths(res *check.Result) (root, prefix string) {
	if res == nil || res.Repo == nil {
		return "", ""
	}
	top, prefix, ok := gitroot.Find(res.Repo.Root)
	if !ok {
		return res.Repo.Root, ""
	}
	return top, prefix
}

// findingsUnder returns a copy of the findings with their files named from
// the folder that prefix is the checked folder's path in, in order.
func findingsUnder(fs []finding.Finding, prefix string) []finding.Finding {
	out := slices.Clone(fs)
	if prefix == "" {
		return out
	}
	for i := range out {
		out[i].Pos = out[i].Pos.Under(prefix)
	}
	return finding.Sort(out)
}

// folderUnder names a folder of the checked repository from the folder
// that prefix is the checked folder's path in.
func folderUnder(dir, prefix string) string {
	if prefix == "" || dir == "" || path.IsAbs(dir) {
		return dir
	}
	return path.Join(prefix, dir)
}
