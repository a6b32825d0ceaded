package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// commandsDoc is the commands page, relative to this package.
const commandsDoc = "../../docs/commands.md"

// docRoot is the command tree as a user's shell sees it, with cobra's
// completion command.
func docRoot() *cobra.Command {
	root := newRoot(&bytes.Buffer{}, &bytes.Buffer{})
	root.InitDefaultCompletionCmd()
	return root
}

// TestCommandsDocInStep wants docs/commands.md to be generated from the
// current commands, and every flag of every command (but --help and the
// hidden profiling flags) documented there; -update rewrites it.
func TestCommandsDocInStep(t *testing.T) {
	var buf bytes.Buffer
	if err := writeCommandsMarkdown(&buf, docRoot()); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(commandsDoc, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(commandsDoc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Errorf("docs/commands.md differs from the commands: run\n\tgo test ./internal/cli -run TestCommandsDocInStep -update")
	}
	page := string(got)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" {
			return
		}
		if c.Runnable() && !strings.Contains(page, "\n## "+c.CommandPath()+"\n") {
			t.Errorf("no section for %s", c.CommandPath())
		}
		c.NonInheritedFlags().VisitAll(func(f *pflag.Flag) {
			if !f.Hidden && f.Name != "help" && !strings.Contains(page, "`--"+f.Name) {
				t.Errorf("%s --%s is not documented", c.CommandPath(), f.Name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(docRoot())
}
