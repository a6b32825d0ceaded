package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/report"
)

// rulesDoc is the rules page, relative to this package.
const rulesDoc = "../../docs/rules.md"

// TestRulesDocInStep wants docs/rules.md to be what fluxlint rules
// --markdown prints, so that the page lists every rule of the catalogue
// with its current text.
func TestRulesDocInStep(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), []string{"rules", "--markdown"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	want, err := os.ReadFile(rulesDoc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stdout.Bytes(), want) {
		t.Errorf("docs/rules.md differs from the rule catalogue: run\n\tgo run ./cmd/fluxlint rules --markdown > docs/rules.md")
	}
}

// TestRulesDocAnchors wants a section per rule whose GitHub anchor is the
// rule's ID, where finding.DocsURL points, and a table row linking to it.
func TestRulesDocAnchors(t *testing.T) {
	cat, err := check.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := writeRulesMarkdown(&buf, cat); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	// GitHub's anchor of a heading is the heading in lower case, blanks
	// as dashes, other punctuation dropped: an ID of lower-case letters,
	// digits and dashes is its own anchor.
	plain := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	for _, r := range cat.Rules() {
		if !plain.MatchString(r.ID) {
			t.Errorf("rule ID %q is not its own anchor", r.ID)
		}
		if !strings.Contains(page, "\n## "+r.ID+"\n") {
			t.Errorf("no section ## %s", r.ID)
		}
		if !strings.Contains(page, "| [`"+r.ID+"`](#"+r.ID+") |") {
			t.Errorf("no table row linking to #%s", r.ID)
		}
		if !strings.HasSuffix(r.DocsURL(), "docs/rules.md#"+r.ID) {
			t.Errorf("%s: DocsURL %s is not the page's anchor", r.ID, r.DocsURL())
		}
	}
}

// TestSecurityRulesExist keeps SARIF's security scores in step with the
// catalogue: a renamed rule would silently lose its score.
func TestSecurityRulesExist(t *testing.T) {
	cat, err := check.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range report.SecurityRules() {
		if _, ok := cat.Lookup(id); !ok {
			t.Errorf("security score for %s, which the catalogue lacks", id)
		}
	}
}

func TestRulesJSON(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run(context.Background(), []string{"rules", "-o", "json"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	var doc struct {
		Version int `json:"version"`
		Rules   []struct {
			ID               string           `json:"id"`
			Severity         finding.Severity `json:"severity"`
			Title, Fix       string
			Family           string `json:"family"`
			DocsURL          string `json:"docsUrl"`
			SecuritySeverity string `json:"securitySeverity"`
		} `json:"rules"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout.String())
	}
	cat, err := check.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || len(doc.Rules) != len(cat.Rules()) {
		t.Fatalf("version %d, %d rules; want 1 and %d", doc.Version, len(doc.Rules), len(cat.Rules()))
	}
	byID := map[string]int{}
	for i, r := range doc.Rules {
		byID[r.ID] = i
		if r.Title == "" || r.Fix == "" || r.DocsURL != finding.DocsURL(r.ID) || !strings.HasPrefix(r.ID, r.Family+"-") {
			t.Errorf("rule %+v lacks a field", r)
		}
	}
	if r := doc.Rules[byID["policy-secret-private-key"]]; r.SecuritySeverity == "" || r.Severity != finding.Error {
		t.Errorf("policy-secret-private-key: %+v, want an error with a security score", r)
	}
	if r := doc.Rules[byID["yaml-syntax"]]; r.SecuritySeverity != "" {
		t.Errorf("yaml-syntax has a security score %q", r.SecuritySeverity)
	}
	stdout.Reset()
	if code := Run(context.Background(), []string{"rules", "-o", "xml"}, &stdout, &stderr); code != ExitError || !strings.Contains(stderr.String(), `unknown format "xml"`) {
		t.Errorf("rules -o xml: exit %d, stderr %q", code, stderr.String())
	}
}
