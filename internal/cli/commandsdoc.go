package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// commandsDocIntro heads docs/commands.md.
const commandsDocIntro = `# Commands

<!-- Generated from the commands' definitions: go test ./internal/cli -run TestCommandsDocInStep -update
     Do not edit: TestCommandsDocInStep fails when this page and the code differ. -->

Every command and flag of fluxlint, as ` + "`fluxlint COMMAND --help`" + ` prints them. Exit codes: ` + "`0`" + ` no finding at or
above ` + "`--fail-on`" + ` (default ` + "`error`" + `), ` + "`1`" + ` findings, ` + "`2`" + ` usage, configuration or internal error, with a
one-line reason on stderr. Every command takes ` + "`-h`/`--help`" + `; ` + "`fluxlint --version`" + ` prints the version.
`

// writeCommandsMarkdown prints the page docs/commands.md from cobra's
// definitions: a table of the commands, then per command its usage,
// description, examples and flags (hidden ones and --help left out).
func writeCommandsMarkdown(w io.Writer, root *cobra.Command) error {
	var cmds []*cobra.Command
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" {
				continue
			}
			if sub.Runnable() {
				cmds = append(cmds, sub)
			}
			walk(sub)
		}
	}
	walk(root)
	bw := bufio.NewWriter(w)
	fmt.Fprint(bw, commandsDocIntro)
	fmt.Fprint(bw, "\n| command | what it does |\n|---|---|\n")
	for _, c := range cmds {
		fmt.Fprintf(bw, "| [`%s`](#%s) | %s |\n", c.CommandPath(), strings.ReplaceAll(c.CommandPath(), " ", "-"), markdownText(c.Short))
	}
	for _, c := range cmds {
		writeCommandSection(bw, c)
	}
	return bw.Flush()
}

// writeCommandSection prints one command's section.
func writeCommandSection(w io.Writer, c *cobra.Command) {
	fmt.Fprintf(w, "\n## %s\n\n%s.\n\n```text\n%s\n```\n", c.CommandPath(), strings.TrimSuffix(markdownText(c.Short), "."), c.UseLine())
	if long := strings.TrimSpace(c.Long); long != "" {
		fmt.Fprintf(w, "\n%s\n", markdownText(long))
	}
	if ex := strings.TrimRight(c.Example, " \n"); ex != "" {
		fmt.Fprintf(w, "\nExamples:\n\n```sh\n%s\n```\n", dedent(ex))
	}
	var rows []string
	c.NonInheritedFlags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Name == "help" {
			return
		}
		rows = append(rows, flagRow(f))
	})
	if len(rows) > 0 {
		fmt.Fprint(w, "\n| flag | default | what |\n|---|---|---|\n")
		for _, r := range rows {
			fmt.Fprintln(w, r)
		}
	}
}

// flagRow is a flag's row: name, shorthand and value type; default; usage.
func flagRow(f *pflag.Flag) string {
	varname, usage := pflag.UnquoteUsage(f)
	varname = strings.TrimSuffix(varname, "Array") // repeatable flags say so in their usage
	name := "`--" + f.Name
	if varname != "" {
		name += " " + varname
	}
	name += "`"
	if f.Shorthand != "" {
		name = "`-" + f.Shorthand + "`, " + name
	}
	def := f.DefValue
	switch def {
	case "", "[]", "false", "0":
		def = ""
	default:
		def = "`" + def + "`"
	}
	return fmt.Sprintf("| %s | %s | %s |", name, def, strings.ReplaceAll(markdownText(usage), "|", `\|`))
}

// markdownText keeps angle brackets of help text from reading as HTML.
func markdownText(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;").Replace(s)
}

// dedent removes the two blanks cobra's examples are indented by.
func dedent(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "  ")
	}
	return strings.Join(lines, "\n")
}
