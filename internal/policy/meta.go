package policy

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// ruleMeta is what a finding takes from a rule's METADATA.
type ruleMeta struct {
	ID       string
	Severity finding.Severity
	Title    string
	// Kinds, when set, are the only kinds of object the rule checks
	// (custom.kinds); fluxlint does not evaluate it on others.
	Kinds []string
}

// metaOf reads the METADATA that applies to a rule, most specific first:
// custom.id names the rule (else policy-PACKAGE-RULE), custom.severity sets
// its severity (else deny and violation are errors, warn a warning).
func metaOf(chain ast.AnnotationsRefSet, pkg, rule string) ruleMeta {
	m := ruleMeta{ID: defaultID(pkg, rule), Severity: finding.Error}
	if strings.HasPrefix(rule, "warn") {
		m.Severity = finding.Warning
	}
	var idSet, sevSet bool
	for _, ref := range chain {
		a := ref.Annotations
		if a == nil {
			continue
		}
		if m.Title == "" {
			m.Title = a.Title
		}
		if kinds, ok := a.Custom["kinds"].([]any); ok && m.Kinds == nil {
			for _, k := range kinds {
				if s, ok := k.(string); ok {
					m.Kinds = append(m.Kinds, s)
				}
			}
		}
		if id, ok := a.Custom["id"].(string); ok && id != "" && !idSet {
			m.ID, idSet = id, true
		}
		if s, ok := a.Custom["severity"].(string); ok && !sevSet {
			if sev, err := finding.ParseSeverity(s); err == nil {
				m.Severity, sevSet = sev, true
			}
		}
	}
	return m
}

// defaultID names a rule that has no custom.id: policy-main-deny.
func defaultID(pkg, rule string) string {
	r := strings.NewReplacer(".", "-", "_", "-")
	return "policy-" + r.Replace(pkg) + "-" + r.Replace(rule)
}

// Rules returns the built-in rules, read from their METADATA, and
// policy-error.
func Rules() ([]finding.Rule, error) { return builtinRules() }

var builtinRules = sync.OnceValues(func() ([]finding.Rule, error) {
	modules, err := builtinModules()
	if err != nil {
		return nil, err
	}
	out := []finding.Rule{{
		ID: RuleError, Severity: finding.Error,
		Title: "A policy cannot be parsed, compiled or evaluated",
		Why:   "Its rules do not run, so what it checks is not checked. Policies may not use http.send, net.lookup_ip_addr, opa.runtime, json.match_schema or json.verify_schema: fluxlint is offline and gives policies no access to its environment or files.",
		Fix:   "Fix the policy at the position given; run fluxlint policy test on its folder.",
	}, {
		ID: RuleBudget, Severity: finding.Error,
		Title: "The policies used up the run's time or memory budget",
		Why: "A policy that loops or builds huge values would hold the run, and the CI job, for as long as it likes: all evaluations of a run share one budget " +
			"(limits.policyBudget, default 60s; limits.policyMemory, default 1 GiB of heap), after which the evaluations left are skipped, so some objects were not checked.",
		Fix: "Find the slow rule with fluxlint policy test or opa eval --profile, and bound its loops; raise limits.policyBudget only for a repository whose policies are known to need it.",
	}}
	for _, name := range slices.Sorted(maps.Keys(modules)) {
		m := modules[name]
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		if !runs(pkg, true, nil) {
			continue
		}
		r, err := ruleFromModule(m)
		if err != nil {
			return nil, fmt.Errorf("built-in rule %s: %w", name, err)
		}
		out = append(out, r)
	}
	return out, nil
})

// ruleFromModule reads a built-in rule's package METADATA: title,
// description (why it matters) and custom id, severity, fix, bad and good.
func ruleFromModule(m *ast.Module) (finding.Rule, error) {
	var a *ast.Annotations
	for _, ann := range m.Annotations {
		if ann.Scope == "package" {
			a = ann
		}
	}
	if a == nil {
		return finding.Rule{}, fmt.Errorf("no package METADATA")
	}
	str := func(key string) string { s, _ := a.Custom[key].(string); return strings.TrimSpace(s) }
	r := finding.Rule{ID: str("id"), Title: a.Title, Why: strings.TrimSpace(a.Description), Fix: str("fix"), Bad: strings.TrimRight(str("bad"), "\n"), Good: strings.TrimRight(str("good"), "\n")}
	sev, err := finding.ParseSeverity(str("severity"))
	if err != nil {
		return finding.Rule{}, err
	}
	r.Severity = sev
	if !strings.HasPrefix(r.ID, "policy-") || r.Title == "" || r.Why == "" || r.Fix == "" {
		return finding.Rule{}, fmt.Errorf("METADATA needs title, description and custom id (policy-…), severity and fix")
	}
	return r, nil
}
