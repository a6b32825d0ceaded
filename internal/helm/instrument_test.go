package helm

import (
	"context"
	"strings"
	"testing"
	texttemplate "text/template"

	"github.com/Masterminds/sprig/v3"
)

// TestInstrumentKeepsOutput executes templates as they are and
// instrumented, with the inserted functions printing nothing: the output
// must be the same, white space trimming included.
func TestInstrumentKeepsOutput(t *testing.T) {
	tests := []struct {
		name, src string
	}{
		{name: "no action", src: "plain text\n"},
		{name: "range", src: "{{ range $i, $v := .list }}[{{ $i }}={{ $v }}]{{ end }}"},
		{name: "range with trim markers", src: "a\n  {{- range .list }}\n  - {{ . }}\n  {{- end }}\nb"},
		{name: "range body starting with a trimming action", src: "{{ range .list }}\n   {{- . -}}\n   x{{ end }}"},
		{name: "range body starting after a trimming action", src: "{{ range .list -}}\n   {{ . }}{{ end }}"},
		{name: "range with else", src: "{{ range .none }}x{{ else }}none{{ end }}"},
		{name: "empty range body", src: "{{ range .list }}{{ end }}|{{- range .list }}{{- end }}|"},
		{name: "nested ranges", src: "{{ range .list }}{{ range $.list }}{{ . }}{{ end }};{{ end }}"},
		{name: "define and include", src: `{{- define "x" -}}
  <{{ . }}>
{{- end -}}
{{ include "x" "a" }}{{ template "x" "b" }}`},
		{name: "define with a comment first", src: `{{ define "c" }}{{/* note */}}c{{ end }}{{ template "c" }}`},
		{name: "empty define", src: `{{ define "e" }}{{ end }}[{{ template "e" }}]`},
		{name: "block", src: `{{ block "b" . }}block {{ .name }}{{ end }}`},
		{name: "tpl of a field", src: `{{ tpl .t . }}`},
		{name: "tpl of a pipeline", src: `{{ tpl (printf "%s-%s" .t "x") . }}|{{ tpl ( print .t ) . | upper }}`},
		{name: "tpl of strings", src: "{{ tpl \"{{ .name }}\" . }}{{ tpl `raw {{ .name }}` . }}"},
		{name: "tpl in if, with and a parenthesized argument", src: `{{ if (tpl .t .) }}{{ with .name }}{{ tpl $.t $ }}{{ end }}{{ end }}`},
		{name: "tpl with a trim marker after", src: "{{ tpl .t . -}}\n  after"},
		{name: "text with braces", src: `{{ "}}" }}{{ range .list }}{{ "{{" }}{{ end }}`},
	}
	data := map[string]any{"list": []string{"a", "b"}, "none": []string{}, "t": "T", "name": "N"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := execute(t, tt.src, data)
			instrumented := instrument("t", tt.src)
			if got := execute(t, instrumented, data); got != want {
				t.Errorf("output changed:\nsource %q\ninstrumented %q\ngot  %q\nwant %q", tt.src, instrumented, got, want)
			}
			if strings.Count(instrumented, "\n") != strings.Count(tt.src, "\n") {
				t.Errorf("lines changed: %q", instrumented)
			}
		})
	}
}

// execute runs a template with sprig, an include, a tpl that returns its
// string unchanged, and the inserted functions printing nothing.
func execute(t *testing.T, src string, data any) string {
	t.Helper()
	tmpl := texttemplate.New("t").Funcs(sprig.TxtFuncMap())
	tmpl.Funcs(texttemplate.FuncMap{
		"include": func(name string, v any) (string, error) {
			var b strings.Builder
			err := tmpl.ExecuteTemplate(&b, name, v)
			return b.String(), err
		},
		"tpl":    func(s string, _ any) string { return s },
		loopFunc: func() string { return "" },
		callFunc: func() string { return "" },
		tplFunc:  func(s string) string { return s },
	})
	if _, err := tmpl.Parse(src); err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	var b strings.Builder
	if err := tmpl.Execute(&b, data); err != nil {
		t.Fatalf("execute %q: %v", src, err)
	}
	return b.String()
}

// TestInstrumentInserts checks that every place that repeats work gets
// its check.
func TestInstrumentInserts(t *testing.T) {
	src := `{{ define "d" }}{{ range .x }}{{ tpl .t . }}{{ end }}{{ end }}`
	got := instrument("t", src)
	for _, fn := range []string{"{{" + callFunc + "}}", "{{" + loopFunc + "}}", "(" + tplFunc + " .t)"} {
		if !strings.Contains(got, fn) {
			t.Errorf("%q lacks %s", got, fn)
		}
	}
	if broken := "{{ range }"; instrument("t", broken) != broken {
		t.Error("a template that does not parse was changed")
	}
}

// TestRenderGuardStopsOnCancel: a guard whose render is cancelled refuses
// the next loop turn, so a stopped render ends and frees its memory.
func TestRenderGuardStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	g := newRenderGuard(ctx)
	loop := g.funcs()[loopFunc].(func() (string, error))
	if _, err := loop(); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := loop(); err == nil {
		t.Fatal("a loop turn after the cancel went on")
	}
}
