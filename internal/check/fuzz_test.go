package check

import (
	"testing"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/source"
)

// FuzzSuppressions checks the suppression comment parser on any file: it
// never panics; every suppression and every malformed one sits on a line of
// the file, at the "#" that starts it; the rules of a suppression are all
// known (or policy-…) and its range starts at its own line.
func FuzzSuppressions(f *testing.F) {
	f.Add([]byte(suppressYAML))
	for _, seed := range []string{
		"a: 1 # fluxlint:ignore schema-invalid reason\n",
		"# fluxlint:ignore schema-invalid,yaml-syntax two rules\n\n# more\nb: 2\n",
		"a: \"#fluxlint:ignore yaml-syntax in a string\"\n",
		"#fluxlint:ignore\n",
		"x: 1 #\tfluxlint:ignore policy-mine custom policy\n",
		"# fluxlint:ignore UPPER-case nope\n",
		"# fluxlint:ignorex schema-invalid not a suppression\n",
		"\t# fluxlint:ignore schema-invalid,, empty\n",
	} {
		f.Add([]byte(seed))
	}
	cat, err := Catalog()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file := source.Parse("f.yaml", data)
		sups, invalid := parseSuppressions(file, cat)
		atHash := func(p finding.Pos) {
			t.Helper()
			if p.Line < 1 || p.Line > len(file.Lines) {
				t.Fatalf("position %d:%d outside 1-%d", p.Line, p.Col, len(file.Lines))
			}
			line := file.Lines[p.Line-1]
			if p.Col < 1 || p.Col > len(line) || line[p.Col-1] != '#' {
				t.Fatalf("position %d:%d is not at a '#' in %q", p.Line, p.Col, line)
			}
		}
		for _, s := range sups {
			atHash(s.pos)
			if s.lines[0] != s.pos.Line || (s.lines[1] != 0 && s.lines[1] < s.lines[0]) {
				t.Fatalf("suppression at line %d covers lines %v", s.pos.Line, s.lines)
			}
			if len(s.rules) == 0 {
				t.Fatalf("suppression at line %d has no rule", s.pos.Line)
			}
			for _, r := range s.rules {
				if _, ok := cat.Lookup(r); !ok && r != RuleInternal && !ruleIDForm.MatchString(r) {
					t.Fatalf("suppression names %q", r)
				}
			}
		}
		for _, fd := range invalid {
			atHash(fd.Pos)
		}
	})
}
