package source

import (
	"flag"
	"fmt"
	"strconv"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// FuzzParse checks the YAML loader with positions on any input: it never
// panics, every document and node lies within the file's lines, and every
// path read back from a parsed mapping is found by Lookup.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n",
		"---\na: 1\n---\nb: [1, 2]\n...\nc: {d: e}\n",
		"%YAML 1.2\n---\na: &x {b: 1}\nc: *x\n",
		"\xef\xbb\xbfa: 1\r\nb: 2\r\n",
		"a: |\n  ---\n  not a separator\nb: 1\n",
		"a: 1\na: 2\n",
		"--- !tag\nkey: v\n",
		"a: [unclosed\n---\nb: 1\n",
		"- a\n- b: {c: [1, {d: e}]}\n",
		"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// While fuzzing, a watchdog: a slow input fails with its data
		// instead of stalling the fuzzer. The seeds, which go test runs on
		// machines of any load, have no limit on time.
		if !fuzzing() {
			if msg := checkParse(data); msg != "" {
				t.Fatal(msg)
			}
			return
		}
		done := make(chan string, 1)
		go func() { done <- checkParse(data) }()
		select {
		case msg := <-done:
			if msg != "" {
				t.Fatal(msg)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Parse and its checks took longer than 5 s")
		}
	})
}

// fuzzing reports whether the test binary runs the fuzzer (-test.fuzz).
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// checkParse parses data and returns what is wrong with the result.
func checkParse(data []byte) string {
	file := Parse("f.yaml", data)
	n := len(file.Lines)
	for _, d := range file.Docs {
		if d.StartLine < 1 || d.EndLine > n || d.StartLine > d.EndLine+1 {
			return fmt.Sprintf("document lines %d-%d outside 1-%d", d.StartLine, d.EndLine, n)
		}
		if msg := checkNodes(d.Root(), n, 0); msg != "" {
			return msg
		}
		for _, path := range pathsOf(d.Root(), nil, 0) {
			if _, ok := d.Lookup(path); !ok {
				return fmt.Sprintf("Lookup(%q) finds nothing, yet the path was read from the document", path)
			}
			if pos := d.PosOf(path); pos.Line < 1 || pos.Line > n {
				return fmt.Sprintf("PosOf(%q) = line %d, outside 1-%d", path, pos.Line, n)
			}
		}
	}
	for _, fd := range file.Findings {
		if fd.Pos.Line < 1 || (n > 0 && fd.Pos.Line > n) {
			return fmt.Sprintf("finding %q on line %d, outside 1-%d", fd.Message, fd.Pos.Line, n)
		}
	}
	return ""
}

func checkNodes(node *yaml.Node, lines, depth int) string {
	if node == nil || depth > 50 {
		return ""
	}
	if node.Line < 1 || node.Line > lines || node.Column < 1 {
		return fmt.Sprintf("node %q at %d:%d, outside 1-%d", node.Value, node.Line, node.Column, lines)
	}
	for _, c := range node.Content {
		if msg := checkNodes(c, lines, depth+1); msg != "" {
			return msg
		}
	}
	return ""
}

// pathsOf lists the paths of the first scalar keys and sequence items, as
// a finding would name them (at most a few per level, to stay fast).
func pathsOf(node *yaml.Node, prefix []string, depth int) [][]string {
	if node == nil || depth > 4 {
		return nil
	}
	var out [][]string
	switch node.Kind {
	case yaml.MappingNode:
		seen := map[string]bool{}
		for i := 0; i+1 < len(node.Content) && i < 8; i += 2 {
			k := node.Content[i]
			// A repeated key is a yaml-duplicate-key finding; Lookup
			// follows the first one, as a person reading the file does.
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" || seen[k.Value] {
				continue
			}
			seen[k.Value] = true
			p := append(append([]string{}, prefix...), k.Value)
			out = append(out, p)
			out = append(out, pathsOf(node.Content[i+1], p, depth+1)...)
		}
	case yaml.SequenceNode:
		for i, c := range node.Content {
			if i >= 4 {
				break
			}
			p := append(append([]string{}, prefix...), itoa(i))
			out = append(out, p)
			out = append(out, pathsOf(c, p, depth+1)...)
		}
	}
	return out
}

func itoa(i int) string {
	return strconv.Itoa(i)
}
