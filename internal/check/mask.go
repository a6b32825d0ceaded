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
		if len(v) >= minSecretLen {
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

// Mask replaces every secret value in s.
func Mask(s string, secrets []string) string {
	for _, v := range secrets {
		if strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, Masked)
		}
	}
	return s
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
