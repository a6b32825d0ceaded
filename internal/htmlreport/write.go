package htmlreport

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed assets
var assets embed.FS

// page is what the template sees: the report and its assets.
type page struct {
	*Report
	CSS template.CSS
	JS  template.JS
}

// A DiffLine is one line of a unified diff with its CSS class.
type DiffLine struct{ Class, Text string }

// Write writes the report as one self-contained HTML page.
func Write(w io.Writer, r *Report) error {
	css, err := assets.ReadFile("assets/report.css")
	if err != nil {
		return err
	}
	js, err := script()
	if err != nil {
		return err
	}
	ids := map[string]string{}
	for _, c := range r.Clusters {
		ids[c.Name] = c.ID
	}
	tmpl, err := template.New("report.html.tmpl").Funcs(template.FuncMap{
		"add":       func(a, b int) int { return a + b },
		"lower":     strings.ToLower,
		"nameOf":    nameOf,
		"difflines": diffLines,
		"clusterID": func(name string) string { return ids[name] },
		"wbr":       breakAfterSlashes,
	}).ParseFS(assets, "assets/report.html.tmpl")
	if err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	bw := bufio.NewWriter(w)
	// The stylesheet and script are fluxlint's own embedded files.
	p := page{Report: r, CSS: template.CSS(css), JS: template.JS(js)} //nolint:gosec // G203: trusted embedded assets, not user input
	if err := tmpl.Execute(bw, p); err != nil {
		return fmt.Errorf("html report: %w", err)
	}
	return bw.Flush()
}

// script joins the files of assets/js, in name order, into one function,
// so that they share their names and leave none in the page's global scope.
func script() ([]byte, error) {
	entries, err := assets.ReadDir("assets/js")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("(function () {\n")
	for _, e := range entries { // sorted by name
		data, err := assets.ReadFile("assets/js/" + e.Name())
		if err != nil {
			return nil, err
		}
		b.Write(data)
		b.WriteString("\n")
	}
	b.WriteString("})();\n")
	return b.Bytes(), nil
}

// breakAfterSlashes escapes a path or an object's name and lets the
// browser break the line after each slash, so that a narrow column wraps
// it between its parts.
func breakAfterSlashes(s string) template.HTML {
	parts := strings.Split(s, "/")
	for i, p := range parts {
		parts[i] = template.HTMLEscapeString(p)
	}
	return template.HTML(strings.Join(parts, "/<wbr>")) //nolint:gosec // G203: every part is escaped above
}

// nameOf drops the kind from a "Kind namespace/name" label.
func nameOf(label string) string {
	_, name, _ := strings.Cut(label, " ")
	return name
}

// diffLines splits a unified diff into lines classed for colour.
func diffLines(unified string) []DiffLine {
	var out []DiffLine
	for line := range strings.Lines(unified) {
		line = strings.TrimSuffix(line, "\n")
		class := ""
		switch {
		case strings.HasPrefix(line, "+++"), strings.HasPrefix(line, "---"):
			class = "file"
		case strings.HasPrefix(line, "+"):
			class = "add"
		case strings.HasPrefix(line, "-"):
			class = "del"
		case strings.HasPrefix(line, "@@"):
			class = "hunk"
		}
		out = append(out, DiffLine{Class: class, Text: line})
	}
	return out
}
