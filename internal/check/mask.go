package check

import (
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
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
	for _, v := range secrets {
		if !strings.Contains(s, v) {
			continue
		}
		if len(v) >= wordSecretLen {
			s = strings.ReplaceAll(s, v, Masked)
			continue
		}
		s = maskWords(s, v)
	}
	return s
}

// wordSecretLen is the length from which a secret value is masked inside
// words too.
const wordSecretLen = 8

// maskWords replaces v in s where it stands as a word: no letter or digit
// touches it, and no separator of a path or a name joins it to one (the
// Secret value config in ./config/00_common.yaml or flux-config is a
// part of a path or a name, not the value).
func maskWords(s, v string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, v)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(v)
		if joined(s, i-1, -1) || joined(s, end, 1) {
			b.WriteString(s[:end])
		} else {
			b.WriteString(s[:i])
			b.WriteString(Masked)
		}
		s = s[end:]
	}
}

// joined reports whether the byte of s at i, beside a match, joins it to
// more of a word: a letter or digit, or one of the separators of paths and
// names (/ . _ -) with a letter or digit beyond it, step being the
// direction away from the match.
func joined(s string, i, step int) bool {
	if wordChar(s, i) {
		return true
	}
	if i < 0 || i >= len(s) || !strings.ContainsRune("/._-", rune(s[i])) {
		return false
	}
	return wordChar(s, i+step)
}

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
		f.Message = Mask(f.Message, secrets)
		f.Hint = Mask(f.Hint, secrets)
		// A substituted variable can be part of an object's name.
		f.Object.Name = Mask(f.Object.Name, secrets)
		f.Object.Namespace = Mask(f.Object.Namespace, secrets)
		for j := range f.Chain {
			f.Chain[j] = Mask(f.Chain[j], secrets)
		}
	}
}
