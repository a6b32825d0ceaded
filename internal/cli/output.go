package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/fluxlint/fluxlint/internal/check"
	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/report"
)

// An output is one --format value: a printer and where it writes.
type output struct {
	name    string
	printer report.Printer
	// file is the file to write; "" is stdout.
	file string
}

// parseFormats reads the --format values, each NAME or NAME=FILE. At most
// one format goes to stdout; none given means text.
func parseFormats(values []string, opts func(toStdout bool) report.Options) ([]output, error) {
	if len(values) == 0 {
		values = []string{"text"}
	}
	var outs []output
	toStdout := ""
	for _, v := range values {
		name, file, hasFile := strings.Cut(v, "=")
		if hasFile && file == "" {
			return nil, fmt.Errorf("--format %q: want NAME or NAME=FILE", v)
		}
		if !hasFile {
			if toStdout != "" {
				return nil, fmt.Errorf("--format: %s and %s both write to stdout; give one of them a file with NAME=FILE", toStdout, name)
			}
			toStdout = name
		}
		p, err := report.New(name, opts(!hasFile))
		if err != nil {
			return nil, fmt.Errorf("--format: %w", err)
		}
		outs = append(outs, output{name: name, printer: p, file: file})
	}
	return outs, nil
}

// writeOutputs prints the report in every format; files are created or
// truncated. Every output is attempted; errors are joined.
func writeOutputs(outs []output, rep *report.Report, stdout io.Writer) error {
	var errs []error
	for _, o := range outs {
		if o.file == "" {
			errs = append(errs, o.printer.Print(stdout, rep))
			continue
		}
		errs = append(errs, writeFile(o, rep))
	}
	return errors.Join(errs...)
}

func writeFile(o output, rep *report.Report) error {
	f, err := os.Create(o.file)
	if err != nil {
		return fmt.Errorf("--format %s: %w", o.name, err)
	}
	if err := o.printer.Print(f, rep); err != nil {
		_ = f.Close()
		return fmt.Errorf("--format %s: %w", o.name, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--format %s: %w", o.name, err)
	}
	return nil
}

// ruleSettings reads --severity RULE=LEVEL and --disable RULE into rule
// settings; every rule ID must be in the catalogue, except policy- IDs,
// which the user's policies may define.
func ruleSettings(severities, disabled []string, cat *finding.Catalog) (map[string]check.RuleSetting, error) {
	settings := map[string]check.RuleSetting{}
	known := func(flag, id string) error {
		if _, ok := cat.Lookup(id); !ok && !strings.HasPrefix(id, "policy-") {
			return fmt.Errorf("%s: no rule %q (see fluxlint rules)", flag, id)
		}
		return nil
	}
	for _, v := range severities {
		id, level, ok := strings.Cut(v, "=")
		if !ok {
			return nil, fmt.Errorf("--severity %q: want RULE=LEVEL", v)
		}
		if err := known("--severity", id); err != nil {
			return nil, err
		}
		sev, err := finding.ParseSeverity(level)
		if err != nil {
			return nil, fmt.Errorf("--severity %s: %w", id, err)
		}
		s := settings[id]
		s.Severity = &sev
		settings[id] = s
	}
	for _, id := range disabled {
		if err := known("--disable", id); err != nil {
			return nil, err
		}
		s := settings[id]
		s.Disabled = true
		settings[id] = s
	}
	return settings, nil
}
