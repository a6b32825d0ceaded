package finding

import (
	"fmt"
	"slices"
	"strings"
)

// RuleInternal is the rule of a finding that reports a failure of
// fluxlint itself (a crash, schemas that cannot be loaded), never of the
// repository. Any stage may report it; the pipeline's catalogue entry
// documents it.
const RuleInternal = "internal-error"

// A Rule describes one kind of finding: what it means and how to fix it.
type Rule struct {
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	// Why says why the problem matters.
	Why string `json:"why"`
	// Fix says how to fix it.
	Fix string `json:"fix"`
	// Bad and Good are short YAML examples.
	Bad  string `json:"bad,omitempty"`
	Good string `json:"good,omitempty"`
}

// Family returns the rule's family, the part of its ID before the first dash.
func (r Rule) Family() string {
	family, _, _ := strings.Cut(r.ID, "-")
	return family
}

// A Catalog is the set of rules fluxlint knows, looked up by ID.
type Catalog struct {
	rules []Rule
}

// NewCatalog checks that every rule has an ID, a title and a fix, and that
// no ID is used twice, and returns the rules sorted by ID.
func NewCatalog(rules ...Rule) (*Catalog, error) {
	sorted := slices.Clone(rules)
	slices.SortFunc(sorted, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) })
	for i, r := range sorted {
		if r.ID == "" || r.Title == "" || r.Fix == "" {
			return nil, fmt.Errorf("rule %q: id, title and fix are required", r.ID)
		}
		if i > 0 && sorted[i-1].ID == r.ID {
			return nil, fmt.Errorf("rule %q is defined twice", r.ID)
		}
	}
	return &Catalog{rules: sorted}, nil
}

// Rules returns every rule, sorted by ID.
func (c *Catalog) Rules() []Rule { return slices.Clone(c.rules) }

// Lookup returns the rule with the given ID.
func (c *Catalog) Lookup(id string) (Rule, bool) {
	i, ok := slices.BinarySearchFunc(c.rules, id, func(r Rule, id string) int { return strings.Compare(r.ID, id) })
	if !ok {
		return Rule{}, false
	}
	return c.rules[i], true
}

// DocsBaseURL is the page that documents every rule, one anchor per rule ID.
const DocsBaseURL = "https://github.com/fluxlint/fluxlint/blob/main/docs/rules.md"

// DocsURL returns the address of the rule's documentation: the rules page at
// the rule's anchor.
func (r Rule) DocsURL() string { return DocsURL(r.ID) }

// DocsURL returns the address of the documentation of the rule with the given ID.
func DocsURL(id string) string { return DocsBaseURL + "#" + id }
