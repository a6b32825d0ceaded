package flux

import (
	"fmt"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/source"
)

// softenDataFiles makes warnings of the duplicate-key errors in files that
// kustomize generators store as data (a Fluent Bit pipeline in a
// configMapGenerator's files) and that no render reads as manifests: most
// YAML parsers keep one of the values, but the program that reads the
// data may take repeated keys on purpose; in a manifest, the API server
// keeps one.
func (c *cluster) softenDataFiles() {
	data := map[string]string{}
	manifests := map[string]bool{}
	for _, o := range c.objects {
		if o.Doc != nil && o.Doc.File != nil {
			manifests[o.Doc.File.Path] = true
		}
		for _, f := range o.Generator.DataFiles() {
			if data[f] == "" {
				data[f] = o.Ref.String()
			}
		}
	}
	for i := range c.Findings {
		f := &c.Findings[i]
		if f.RuleID != source.RuleDuplicateKey || data[f.Pos.File] == "" || manifests[f.Pos.File] || f.Severity != finding.Error {
			continue
		}
		f.Severity = finding.Warning
		f.Message += fmt.Sprintf(" in most YAML parsers; the file is the data of %s, whose reader may take repeated keys", data[f.Pos.File])
	}
}
