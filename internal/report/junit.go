package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// JUnit prints the report as JUnit XML (valid XML 1.0 whatever the
// repository holds: its control characters are escaped as in text output,
// and encoding/xml replaces any other character XML forbids), which CI systems (GitLab, Jenkins,
// Azure Pipelines) show as test results: one test suite per cluster (and
// one named "repository" for findings outside any cluster), one test case
// per finding. Errors are failures; warnings and infos are passing test
// cases whose system-out holds the finding. A suite without findings has
// one passing test case, so that every cluster shows up.
type JUnit struct{}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// Print writes the report.
func (JUnit) Print(w io.Writer, r *Report) error {
	groups := map[string][]finding.Finding{}
	for _, f := range r.Findings {
		groups[f.Cluster] = append(groups[f.Cluster], f)
	}
	out := junitSuites{Name: "fluxlint"}
	add := func(name string, fs []finding.Finding) {
		s := junitSuiteOf(name, fs)
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Suites = append(out.Suites, s)
	}
	if fs := groups[""]; len(fs) > 0 {
		add("repository", fs)
	}
	listed := map[string]bool{"": true}
	for _, c := range r.Clusters {
		listed[c.Name] = true
		add(c.Name, groups[c.Name])
	}
	for _, name := range sortedKeys(groups) {
		if !listed[name] {
			add(name, groups[name])
		}
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	return nil
}

func junitSuiteOf(name string, fs []finding.Finding) junitSuite {
	s := junitSuite{Name: esc(name)}
	classname := "fluxlint." + esc(name)
	if len(fs) == 0 {
		s.Cases = []junitCase{{Name: "no findings", Classname: classname}}
		s.Tests = 1
		return s
	}
	for _, f := range fs {
		c := junitCase{
			Name:      esc(fmt.Sprintf("%s %s", f.RuleID, f.Pos)),
			Classname: classname,
			File:      esc(f.Pos.File),
			Line:      f.Pos.Line,
		}
		detail := junitDetail(f)
		if f.Severity == finding.Error {
			c.Failure = &junitFailure{Message: safeMessageOf(f), Type: esc(f.RuleID), Text: detail}
			s.Failures++
		} else {
			c.SystemOut = f.Severity.String() + ": " + detail
		}
		s.Cases = append(s.Cases, c)
	}
	s.Tests = len(s.Cases)
	return s
}

// junitDetail is the finding as text: position, message, rule and chain.
func junitDetail(f finding.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s [%s]", esc(f.Pos.String()), safeMessageOf(f), esc(f.RuleID))
	if len(f.Chain) > 0 {
		fmt.Fprintf(&b, "\nrendered by: %s", esc(strings.Join(f.Chain, " > ")))
	}
	return b.String()
}

func sortedKeys(m map[string][]finding.Finding) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
