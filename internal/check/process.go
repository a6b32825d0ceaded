package check

import (
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/schema"
)

// A processor is one step of post-processing: it runs after every checker,
// over the findings of all clusters, and returns them changed. The steps
// run in the fixed order of processors.
type processor interface {
	// Name names the step.
	Name() string
	Process(res *Result, fs []finding.Finding) []finding.Finding
}

var (
	_ processor = dedupe{}
	_ processor = suppress{}
	_ processor = settings{}
	_ processor = sorter{}
	_ processor = masker{}
)

// processors returns the post-processing steps in the order they run.
func processors(cfg Config, cat *finding.Catalog) []processor {
	return []processor{
		// First: the steps after it see each finding once.
		dedupe{},
		// Before settings, so that a suppression names a rule as it is,
		// whatever its severity becomes.
		suppress{catalog: cat, unused: !cfg.Partial && cfg.Shard.Total <= 1},
		// After suppress, so that suppression-unused and
		// suppression-invalid can be disabled or re-graded too.
		settings{rules: cfg.Rules},
		// After every step that adds, drops or changes findings: the
		// output does not depend on the order the clusters were checked.
		sorter{},
		// Last: no secret value may reach any output format.
		masker{},
	}
}

// postProcess runs the post-processing steps on a run's findings. A broken
// catalogue (a bug that the catalogue's tests catch) becomes an
// internal-error finding, and every suppression then names an unknown
// rule.
func postProcess(res *Result, cfg Config) {
	cat, err := Catalog()
	if err != nil {
		cat, _ = finding.NewCatalog()
		res.Findings = append(res.Findings, finding.Finding{
			RuleID: RuleInternal, Severity: finding.Error, Message: "rule catalogue: " + err.Error(),
		})
	}
	for _, p := range processors(cfg, cat) {
		res.Findings = p.Process(res, res.Findings)
	}
}

// dedupe drops the second report of a kind without a schema: it is
// reported once per run, but a run that re-checks some clusters only (the
// language server) can find it again in another cluster.
type dedupe struct{}

// Name implements processor.
func (dedupe) Name() string { return "dedupe" }

// Process implements processor.
func (dedupe) Process(_ *Result, fs []finding.Finding) []finding.Finding {
	var out []finding.Finding
	unknown := map[string]bool{}
	for _, f := range fs {
		if f.RuleID == schema.RuleUnknownKind {
			k := f.Cluster + "\x00" + f.Message
			if unknown[k] {
				continue
			}
			unknown[k] = true
		}
		out = append(out, f)
	}
	return out
}

// suppress applies the "# fluxlint:ignore RULE-ID reason" comments of the
// files the renders read and of every file a finding names, and reports
// those that are malformed or, when unused is set (the run checks every
// cluster), suppress nothing.
type suppress struct {
	catalog *finding.Catalog
	unused  bool
}

// Name implements processor.
func (suppress) Name() string { return "suppress" }

// Process implements processor.
func (s suppress) Process(res *Result, fs []finding.Finding) []finding.Finding {
	var read []string
	for _, c := range res.Clusters {
		read = append(read, c.FilesRead...)
	}
	return applySuppressions(res.Repo, read, fs, s.catalog, s.unused)
}

// settings re-grades and drops findings as the rule settings of the
// command line and the configuration say.
type settings struct{ rules map[string]RuleSetting }

// Name implements processor.
func (settings) Name() string { return "settings" }

// Process implements processor.
func (s settings) Process(_ *Result, fs []finding.Finding) []finding.Finding {
	return applySettings(fs, s.rules)
}

// sorter orders the findings deterministically (finding.Sort).
type sorter struct{}

// Name implements processor.
func (sorter) Name() string { return "sort" }

// Process implements processor.
func (sorter) Process(_ *Result, fs []finding.Finding) []finding.Finding {
	return finding.Sort(fs)
}

// masker replaces the secret values of the run's clusters wherever a
// finding would print them.
type masker struct{}

// Name implements processor.
func (masker) Name() string { return "mask" }

// Process implements processor.
func (masker) Process(res *Result, fs []finding.Finding) []finding.Finding {
	maskFindings(res, fs)
	return fs
}
