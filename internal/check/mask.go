package check

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/source"
)

// Masked replaces a secret value wherever fluxlint would print it.
const Masked = "**masked**"

// minSecretLen is the shortest secret value masked in messages: shorter
// values ("1", "yes") would mask ordinary words.
const minSecretLen = 4

// yamlLiteral are values a Secret holds as switches, which tell nothing
// and would mask the same words of every message ("set optional: true").
var yamlLiteral = map[string]bool{"true": true, "false": true, "null": true}

// SecretValues returns the values of a cluster that come from Secrets: the
// decoded values of its Secret objects and the Secret-derived values that
// substitution or valuesFrom put into other objects. Longest first, so a
// value is masked before the shorter ones it contains.
func SecretValues(c *model.Cluster) []string {
	seen := map[string]bool{}
	for _, o := range c.Objects {
		for _, v := range o.Secrets {
			seen[v] = true
		}
		if o.Ref.Kind == "Secret" && o.Ref.APIVersion == "v1" {
			for _, v := range model.SecretData(o) {
				seen[v] = true
			}
		}
	}
	var out []string
	for v := range seen {
		if len(v) >= minSecretLen && !yamlLiteral[strings.ToLower(v)] {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return out
}

// Mask replaces every secret value in s. A short value (under
// wordSecretLen) is replaced only where it stands as a whole word: the
// Secret value "name" leaves "names" and "renamed" alone, and a word of a
// message is not taken for it; a longer one is replaced wherever it is, a
// password inside a URL or a longer token included.
func Mask(s string, secrets []string) string {
	return MaskText(s, secrets, nil)
}

// MaskText masks as Mask does, except inside the paths of files of the
// repository that s names (isPath says which are): a path is in Git, not a
// secret, and a Secret value that is one of its folders (config in
// ./config/00_common.yaml) is left there. A nil isPath protects nothing.
func MaskText(s string, secrets []string, isPath func(string) bool) string {
	for _, v := range secrets {
		if !strings.Contains(s, v) {
			continue
		}
		s = maskValue(s, v, pathSpans(s, isPath))
	}
	return s
}

// maskValue replaces the occurrences of v in s that no span holds: all of
// them for a long value, those that stand as words for a short one.
func maskValue(s, v string, keep [][2]int) string {
	var b strings.Builder
	last := 0
	for from := 0; ; {
		i := strings.Index(s[from:], v)
		if i < 0 {
			break
		}
		i += from
		end := i + len(v)
		from = end
		if len(v) < wordSecretLen && (wordChar(s, i-1) || wordChar(s, end)) {
			continue
		}
		if slices.ContainsFunc(keep, func(sp [2]int) bool { return sp[0] <= i && end <= sp[1] }) {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(Masked)
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}

// pathSpans returns where s names files of the repository: the tokens
// (between spaces, quotes, brackets, commas and semicolons), without a
// position after a colon or a full stop at the end, or the folders that
// begin them, that are paths isPath knows.
func pathSpans(s string, isPath func(string) bool) [][2]int {
	if isPath == nil {
		return nil
	}
	var out [][2]int
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && !strings.ContainsRune(" \t\n\"'()[]{},;`", rune(s[i])) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			tok := s[start:i]
			if c := strings.IndexByte(tok, ':'); c >= 0 {
				tok = tok[:c]
			}
			if n := existingPrefix(strings.TrimSuffix(tok, "."), isPath); n > 0 {
				out = append(out, [2]int{start, start + n})
			}
			start = -1
		}
	}
	return out
}

// existingPrefix returns the length of the longest part of a path token
// that isPath knows: the whole of it, or its folders up to a slash (the
// folder of a file that a build looked for and did not find); 0 for none.
func existingPrefix(tok string, isPath func(string) bool) int {
	for p := tok; strings.ContainsAny(p, "/."); {
		if isPath(p) {
			return len(p)
		}
		i := strings.LastIndexByte(p, '/')
		if i <= 0 {
			return 0
		}
		p = p[:i]
	}
	return 0
}

// wordSecretLen is the length from which a secret value is masked inside
// words too.
const wordSecretLen = 8

// wordChar reports whether s has a letter or digit at byte i.
func wordChar(s string, i int) bool {
	if i < 0 || i >= len(s) {
		return false
	}
	c := s[i]
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// maskFindings removes the secret values of the run's clusters from the
// findings' messages, hints, object names and chains.
func maskFindings(res *Result, fs []finding.Finding) {
	var secrets []string
	for _, c := range res.Clusters {
		secrets = append(secrets, res.secretValues(c)...)
	}
	for i := range fs {
		f := &fs[i]
		isPath := repoPath(res.Repo, findingFolders(res.Repo, f.Pos.File)...)
		f.Message = MaskText(f.Message, secrets, isPath)
		f.Hint = MaskText(f.Hint, secrets, isPath)
		// A substituted variable can be part of an object's name.
		f.Object.Name = Mask(f.Object.Name, secrets)
		f.Object.Namespace = Mask(f.Object.Namespace, secrets)
		for j := range f.Chain {
			f.Chain[j] = Mask(f.Chain[j], secrets)
		}
	}
}

// repoPath returns whether a path names a file or folder of a repository,
// written from its root or from one of the folders given (the folder a
// finding is about, whose kustomization names files relative to it, ../
// included while it stays in the repository), with or without a leading
// ./; nil without a repository.
func repoPath(repo *source.Repo, folders ...string) func(string) bool {
	if repo == nil {
		return nil
	}
	return func(p string) bool {
		rel := strings.TrimPrefix(p, "./")
		if rel == "" || path.IsAbs(rel) {
			return false
		}
		for _, dir := range append([]string{""}, folders...) {
			full := path.Join(dir, rel)
			if !filepath.IsLocal(full) {
				continue
			}
			if _, err := os.Lstat(repo.Abs(full)); err == nil {
				return true
			}
		}
		return false
	}
}

// findingFolders returns the folders a finding's file names paths from:
// the file itself when it is a folder (a failed build of it), else its
// folder.
func findingFolders(repo *source.Repo, file string) []string {
	if file == "" || repo == nil {
		return nil
	}
	if info, err := os.Stat(repo.Abs(file)); err == nil && info.IsDir() {
		return []string{file}
	}
	return []string{path.Dir(file)}
}
