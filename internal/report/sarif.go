package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// SARIF prints the report as a SARIF 2.1.0 log, the format GitHub code
// scanning and most security dashboards read. One run holds the tool with
// every rule of the catalogue and one result per finding. Each result
// carries the finding's fingerprint as a partial fingerprint, so code
// scanning follows a finding across commits when the lines around it move.
//
// Section numbers in the comments refer to the OASIS standard "Static
// Analysis Results Interchange Format (SARIF) Version 2.1.0".
//
// Locations are relative to %SRCROOT%, the top of the Git work tree that
// holds the checked folder (Report.Root), which the run gives as an
// absolute file URI in originalUriBaseIds (§3.14.14). Every rule of the
// catalogue links to its documentation (helpUri), and the rules about
// security carry a security-severity, which GitHub code scanning reads to
// rank alerts as critical, high, medium or low.
type SARIF struct {
	// ToolVersion is the fluxlint version written into tool.driver.
	ToolVersion string
}

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// sarifSrcRoot is the uriBaseId of every location: URIs are relative to
	// the root of the checked repository (§3.4.4).
	sarifSrcRoot = "%SRCROOT%"
	// sarifFingerprint is the partialFingerprints key (§3.27.17); the "/v1"
	// suffix versions the fingerprint's recipe.
	sarifFingerprint = "fluxlintFingerprint/v1"
	informationURI   = "https://github.com/fluxlint/fluxlint"
)

// sarifLog is the top-level sarifLog object (§3.13).
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

// sarifRun is a run object (§3.14).
type sarifRun struct {
	Tool               sarifTool                `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult            `json:"results"`
	AutomationDetails  *sarifAutomation         `json:"automationDetails,omitempty"`
}

// sarifAutomation is a runAutomationDetails object (§3.17). GitHub code
// scanning takes the part of its id up to the last "/" as the run's
// category, and keeps the latest upload of each category: the shards of a
// run (check --shard) need categories of their own.
type sarifAutomation struct {
	ID string `json:"id"`
}

// sarifTool is a tool object (§3.18) whose driver is a toolComponent (§3.19).
type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string            `json:"name"`
	Version        string            `json:"version,omitempty"`
	InformationURI string            `json:"informationUri"`
	Rules          []sarifDescriptor `json:"rules"`
}

// sarifDescriptor is a reportingDescriptor object (§3.49).
type sarifDescriptor struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name,omitempty"`
	ShortDescription     *sarifText          `json:"shortDescription,omitempty"`
	FullDescription      *sarifText          `json:"fullDescription,omitempty"`
	HelpURI              string              `json:"helpUri,omitempty"`
	Help                 *sarifText          `json:"help,omitempty"`
	DefaultConfiguration *sarifConfiguration `json:"defaultConfiguration,omitempty"`
	Properties           *sarifRuleProps     `json:"properties,omitempty"`
}

// sarifText is a multiformatMessageString (§3.12) or a message (§3.11).
type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

// sarifConfiguration is a reportingConfiguration object (§3.50).
type sarifConfiguration struct {
	Level string `json:"level"`
}

// sarifRuleProps is the rule's property bag (§3.8); GitHub reads tags and
// security-severity, a score from 0.0 to 10.0 written as a string.
type sarifRuleProps struct {
	Tags             []string `json:"tags,omitempty"`
	SecuritySeverity string   `json:"security-severity,omitempty"`
}

// sarifResult is a result object (§3.27).
type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          *sarifResultProps `json:"properties,omitempty"`
}

type sarifResultProps struct {
	Cluster string   `json:"cluster,omitempty"`
	Object  string   `json:"object,omitempty"`
	Chain   []string `json:"chain,omitempty"`
}

// sarifLocation is a location object (§3.28) with a physicalLocation (§3.29).
type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

// sarifArtifact is an artifactLocation object (§3.4).
type sarifArtifact struct {
	URI         string     `json:"uri"`
	URIBaseID   string     `json:"uriBaseId,omitempty"`
	Description *sarifText `json:"description,omitempty"`
}

// sarifRegion is a region object (§3.30); lines and columns start at 1.
type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// sarifLevel maps a severity to a result level (§3.27.10).
func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "error"
	case finding.Warning:
		return "warning"
	}
	return "note"
}

// Print writes the report.
func (s SARIF) Print(w io.Writer, r *Report) error {
	rules, index := sarifRules(r)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "fluxlint", Version: s.ToolVersion, InformationURI: informationURI, Rules: rules,
		}},
		Results: make([]sarifResult, 0, len(r.Findings)),
	}
	if r.Root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifact{sarifSrcRoot: {
			URI:         rootURI(r.Root),
			Description: &sarifText{Text: "The top of the Git work tree that holds the checked folder, else the checked folder."},
		}}
	}
	if r.Shard != "" {
		run.AutomationDetails = &sarifAutomation{ID: "fluxlint/shard-" + strings.Replace(r.Shard, "/", "-of-", 1) + "/"}
	}
	for _, f := range r.Findings {
		run.Results = append(run.Results, sarifResultOf(f, index[f.RuleID]))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

// sarifRules describes every rule of the catalogue, and every rule that a
// finding names but the catalogue lacks, and indexes them by ID.
func sarifRules(r *Report) ([]sarifDescriptor, map[string]int) {
	rules := make([]sarifDescriptor, 0, len(r.Rules))
	index := map[string]int{}
	for _, rule := range r.Rules {
		index[rule.ID] = len(rules)
		rules = append(rules, sarifDescriptorOf(rule))
	}
	for _, f := range r.Findings {
		if _, ok := index[f.RuleID]; !ok {
			index[f.RuleID] = len(rules)
			rules = append(rules, sarifDescriptor{ID: f.RuleID, ShortDescription: &sarifText{Text: f.RuleID}})
		}
	}
	return rules, index
}

func sarifDescriptorOf(rule finding.Rule) sarifDescriptor {
	d := sarifDescriptor{
		ID:                   rule.ID,
		Name:                 ruleName(rule.ID),
		ShortDescription:     &sarifText{Text: rule.Title},
		DefaultConfiguration: &sarifConfiguration{Level: sarifLevel(rule.Severity)},
		HelpURI:              rule.DocsURL(),
		Help:                 &sarifText{Text: helpText(rule), Markdown: helpMarkdown(rule)},
		Properties:           &sarifRuleProps{Tags: []string{rule.Family()}},
	}
	if score := SecuritySeverity(rule.ID); score != "" {
		d.Properties.Tags = append(d.Properties.Tags, "security")
		d.Properties.SecuritySeverity = score
	}
	if rule.Why != "" {
		d.FullDescription = &sarifText{Text: rule.Why}
	}
	return d
}

// ruleName turns a kebab-case ID into the PascalCase name §3.49.7 suggests.
func ruleName(id string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func helpText(rule finding.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nWhy: %s\n\nFix: %s", rule.Title, rule.Why, rule.Fix)
	if rule.Bad != "" {
		fmt.Fprintf(&b, "\n\nBad:\n%s", rule.Bad)
	}
	if rule.Good != "" {
		fmt.Fprintf(&b, "\n\nGood:\n%s", rule.Good)
	}
	return b.String()
}

func helpMarkdown(rule finding.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n\n%s\n\n**Fix:** %s", rule.Title, rule.Why, rule.Fix)
	if rule.Bad != "" {
		fmt.Fprintf(&b, "\n\nBad:\n\n```yaml\n%s\n```", rule.Bad)
	}
	if rule.Good != "" {
		fmt.Fprintf(&b, "\n\nGood:\n\n```yaml\n%s\n```", rule.Good)
	}
	return b.String()
}

func sarifResultOf(f finding.Finding, ruleIndex int) sarifResult {
	res := sarifResult{
		RuleID:              f.RuleID,
		RuleIndex:           ruleIndex,
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{Text: messageOf(f)},
		PartialFingerprints: map[string]string{sarifFingerprint: f.Fingerprint()},
	}
	if f.Pos.File != "" {
		loc := sarifLocation{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifact{URI: fileURI(f.Pos.File), URIBaseID: sarifSrcRoot},
		}}
		if f.Pos.Line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{
				StartLine: f.Pos.Line, StartColumn: f.Pos.Col, EndLine: f.Pos.EndLine, EndColumn: f.Pos.EndCol,
			}
		}
		res.Locations = []sarifLocation{loc}
	}
	if f.Cluster != "" || !f.Object.IsZero() || len(f.Chain) > 0 {
		props := &sarifResultProps{Cluster: f.Cluster, Chain: f.Chain}
		if !f.Object.IsZero() {
			props.Object = f.Object.String()
		}
		res.Properties = props
	}
	return res
}

// rootURI turns an absolute folder into the file URI of §3.10 that
// relative locations resolve against, with the trailing slash that makes
// it a folder.
func rootURI(dir string) string {
	p := filepath.ToSlash(dir)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: file:///C:/...
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// fileURI turns a repository path into a relative URI reference (§3.10):
// characters such as blanks are percent-encoded, and a colon in the first
// segment is kept from reading as a scheme.
func fileURI(path string) string {
	return (&url.URL{Path: path}).String()
}

// messageOf is the finding's message with its object in front, unless the
// message names it already, and its hint behind.
func messageOf(f finding.Finding) string {
	msg := objectMessage(f)
	if f.Hint != "" {
		msg += "\nHint: " + f.Hint
	}
	return msg
}

// objectMessage is the finding's message with its object in front, unless
// the message names it already.
func objectMessage(f finding.Finding) string {
	if !f.Object.IsZero() && !strings.Contains(f.Message, f.Object.Name) {
		return f.Object.String() + ": " + f.Message
	}
	return f.Message
}
