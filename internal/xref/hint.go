package xref

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
)

// distance returns the optimal string alignment distance of two strings:
// Levenshtein's, with a transposition of two neighbours counted as one.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// closest returns the candidate nearest to name when it is close enough to
// be a typo, or when one is the other with a dash-separated part added
// ("podinfo" for "podinfo-web"); else "".
func closest(name string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		if c == name {
			continue
		}
		d := distance(name, c)
		if (closeTypo(name, c) || extends(name, c)) && (bestD < 0 || d < bestD || d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

// closeTypo reports whether other is near enough to name to be a typo of
// it: a few letters in a name long enough.
func closeTypo(name, other string) bool {
	d := distance(name, other)
	return d <= max(2, len(name)/4) && d*2 <= max(len(name), len(other))
}

// extends reports whether one name is the other with a dash-separated part
// added ("podinfo" and "podinfo-web").
func extends(name, other string) bool {
	return strings.HasPrefix(name, other+"-") || strings.HasPrefix(other, name+"-")
}

// hashSuffixed returns a candidate that is name with a kustomize hash
// suffix ("name-5f9c8b7d6k"), or "".
func hashSuffixed(name string, candidates []string) string {
	for _, c := range candidates {
		rest, ok := strings.CutPrefix(c, name+"-")
		if ok && len(rest) == 10 && strings.Trim(rest, hashAlphabet) == "" {
			return c
		}
	}
	return ""
}

// withUnhashed returns names with, after them, the names that kustomize's
// generators were given for those it suffixed with a hash: a reference
// that kustomize rewrites names the generator's name, so a misspelling is
// one typo off that name, not off the suffixed one.
func withUnhashed(names []string) []string {
	out := names
	for _, n := range names {
		i := strings.LastIndexByte(n, '-')
		if i > 0 && len(n)-i-1 == 10 && strings.Trim(n[i+1:], hashAlphabet) == "" && !slices.Contains(out, n[:i]) {
			if len(out) == len(names) {
				out = slices.Clone(names)
			}
			out = append(out, n[:i])
		}
	}
	return out
}

// hashAlphabet holds the characters of kustomize's name suffixes: the hex
// digits of a hash with 0, 1, 3, a and e replaced by g, h, k, m and t
// (sigs.k8s.io/kustomize/api/hasher), so that a suffix is never a word
// (kopiur-repository is not kopiur hashed).
const hashAlphabet = "2456789bcdfghkmt"

// namesIn returns the names of the objects of a kind in a namespace,
// those made in namespaces that labels choose (a trust-manager Bundle's
// ConfigMap) included.
func (ix *index) namesIn(kind, namespace string) []string {
	names := ix.names[kind+"/"+namespace]
	if anyNS := ix.names[kind+"/"+model.AnyNamespace]; namespace != "" && len(anyNS) > 0 {
		names = append(slices.Clone(names), anyNS...)
	}
	return names
}

// hintFor suggests the name a missing reference probably meant.
func (ix *index) hintFor(kind, namespace, name string) string {
	candidates := ix.namesIn(kind, namespace)
	if c := hashSuffixed(name, candidates); c != "" {
		return fmt.Sprintf("a generator made %s %q with a hash suffix; kustomize does not rewrite this field: set generatorOptions.disableNameSuffixHash, or add a nameReference configuration", kind, c)
	}
	if c := closest(name, withUnhashed(candidates)); c != "" {
		return fmt.Sprintf("did you mean %s?", c)
	}
	if namespace == "" {
		return ""
	}
	var others []string
	for k := range ix.byKind {
		parts := strings.SplitN(k, "/", 3)
		if parts[0] == kind && parts[2] == name && parts[1] != namespace {
			others = append(others, parts[1])
		}
	}
	if len(others) > 0 {
		return fmt.Sprintf("%s %s exists in namespace %s; references resolve in the namespace the object lands in (%s)", kind, name, minString(others), namespace)
	}
	return ""
}

// onlyExtended reports whether the nearest name hintFor offers for a
// reference only extends it (git-auth and git-auth-secret): two names
// that often name two Secrets, one made by hand and one by an
// ExternalSecret, rather than a misspelling.
func (ix *index) onlyExtended(kind, namespace, name string) bool {
	candidates := withUnhashed(ix.namesIn(kind, namespace))
	if hashSuffixed(name, candidates) != "" {
		return false
	}
	c := closest(name, candidates)
	return c != "" && !closeTypo(name, c)
}

func minString(s []string) string {
	m := s[0]
	for _, v := range s[1:] {
		m = min(m, v)
	}
	return m
}

// nearMiss reports, as a warning, a reference that no rendered object
// answers but that objects fluxlint cannot see (an unrendered chart, an
// operator, a fleet) might, when a rendered object of the kind in the
// namespace has a name one typo away: a misspelt name is far likelier than
// a made object one letter off a committed one; or when a kustomize
// generator made one of the name with a hash suffix, which the field, not
// rewritten by kustomize, misses.
func (r *reporter) nearMiss(rf ref) {
	var near string
	names := r.ix.namesIn(rf.kind, rf.namespace)
	if c := hashSuffixed(rf.name, names); c != "" {
		rf.severity, rf.severityOverridden = finding.Warning, true
		r.report(rf, fmt.Sprintf("%s names %s %s, which no rendered object is, while a generator made %s %s from it: a field kustomize does not rewrite? (objects that fluxlint does not render may still make it)",
			rf.what, rf.kind, rf.name, rf.kind, c), r.ix.hintFor(rf.kind, rf.namespace, rf.name))
		return
	}
	candidates := withUnhashed(names)
	if rf.kind == "ClusterRole" {
		candidates = append(slices.Clone(candidates), builtinClusterRoles...)
	}
	for _, c := range candidates {
		if typoOf(rf.name, c) && (near == "" || c < near) {
			near = c
		}
	}
	if near == "" {
		if rf.byHand == "" || !r.minorityTypo(rf) {
			r.nearChartName(rf)
		}
		return
	}
	rf.severity, rf.severityOverridden = finding.Warning, true
	r.report(rf, fmt.Sprintf("%s names %s %s, which no rendered object is, while %s %s is: a misspelling? (objects that fluxlint does not render may still make it)",
		rf.what, rf.kind, rf.name, rf.kind, near), fmt.Sprintf("did you mean %s?", near))
}

// typoOf reports whether name is another name misspelt: one or two letters
// wrong, missing, added or swapped in a name long enough for that to be
// rare by chance (two neighbours swapped in a name of four letters, as
// "flxu" for "flux"), and not a different number (redis-0, redis-1).
func typoOf(name, other string) bool {
	if name == other || strings.Trim(name, "0123456789") == strings.Trim(other, "0123456789") {
		return false
	}
	d := distance(name, other)
	return d == 1 && (len(name) >= 5 || len(name) == 4 && swapped(name, other)) || d == 2 && len(name) >= 10
}

// swapped reports whether a is b with two neighbouring letters swapped.
func swapped(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i+1 < len(a); i++ {
		if a[i] != b[i] {
			return a[i] == b[i+1] && a[i+1] == b[i] && a[i+2:] == b[i+2:]
		}
	}
	return false
}

// builtinClusterRoles are the user-facing ClusterRoles Kubernetes makes.
var builtinClusterRoles = []string{"cluster-admin", "admin", "edit", "view"}

// nearChartName reports, as a warning, a reference that an unrendered chart
// might answer, when the name is one typo away from a name that release's
// values or release give (serviceAccount.name, a fullnameOverride) and
// does not start with it: the chart makes that name, not the one written.
// A name that a name of another release there begins is that release's.
func (r *reporter) nearChartName(rf ref) {
	if rf.namespace == "" {
		return
	}
	scopes := r.ix.chartScopes
	for _, c := range scopes {
		if c.namespace == rf.namespace && c.known && slices.ContainsFunc(c.prefixes, func(p string) bool { return strings.HasPrefix(rf.name, p) }) {
			// Another release there names it (radarr-hd beside
			// radarr-uhd): no misspelling of the first.
			return
		}
	}
	for _, c := range scopes {
		if c.namespace != rf.namespace || !c.known {
			continue
		}
		for _, p := range c.prefixes {
			if strings.HasPrefix(rf.name, p) || !typoOf(rf.name, p) {
				continue
			}
			rf.severity, rf.severityOverridden = finding.Warning, true
			r.report(rf, fmt.Sprintf("%s names %s %s, which no rendered object is, while HelmRelease %s (not rendered) names %s after its release or in its values: a misspelling?",
				rf.what, rf.kind, rf.name, c.hr.Ref, p), fmt.Sprintf("did you mean %s?", p))
			return
		}
	}
}
