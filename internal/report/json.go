package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// SchemaVersion is the version of the JSON output's shape. It changes only
// when a field is removed or changes meaning; new fields may be added.
const SchemaVersion = 1

// JSON prints the report as one JSON document:
//
//	{"version": 1, "summary": {...}, "clusters": [...], "findings": [...]}
//
// Each finding has rule, severity, message, hint, position {file, line,
// column}, object {apiVersion, kind, namespace, name}, cluster, chain and
// a stable fingerprint.
type JSON struct{}

type jsonFinding struct {
	finding.Finding
	Fingerprint string `json:"fingerprint"`
}

type jsonReport struct {
	Version  int           `json:"version"`
	Summary  Summary       `json:"summary"`
	Clusters []Cluster     `json:"clusters"`
	Findings []jsonFinding `json:"findings"`
}

// Print writes the report.
func (JSON) Print(w io.Writer, r *Report) error {
	out := jsonReport{Version: SchemaVersion, Summary: r.Summary(), Clusters: r.Clusters, Findings: []jsonFinding{}}
	if out.Clusters == nil {
		out.Clusters = []Cluster{}
	}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, jsonFinding{Finding: f, Fingerprint: f.Fingerprint()})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
