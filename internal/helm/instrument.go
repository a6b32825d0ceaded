package helm

import (
	"slices"
	"strings"
	"text/template/parse"
)

// Go templates run without a way to stop them from outside: Helm's engine
// executes them to completion, and its tpl function parses and executes
// strings without any bound on how deep it nests. A value of
// {{ tpl .Values.t . }} handed to a chart that does the same recurses until
// Go's stack limit, a fatal error that no recover catches; a nested range
// grows the output without a function call that a limit could watch.
//
// So before Helm parses a template, fluxlint inserts calls of its own at
// the three places where a template can repeat work without bound, each a
// template function of renderGuard that checks the render's bounds:
//
//   - the start of every range body (loopFunc), once per iteration;
//   - the start of every defined template's body (callFunc), once per
//     include or template call, which bounds recursion;
//   - the string argument of every tpl call (tplFunc), which instruments
//     that string the same way before Helm parses it, so every level of
//     nested tpl passes through it too.
//
// The calls print nothing and keep line numbers, so Helm's output and its
// error positions are unchanged (columns on a line that gained a call
// shift).
const (
	loopFunc = "fluxlintLoop"
	callFunc = "fluxlintCall"
	tplFunc  = "fluxlintTpl"
)

// An insertion puts text at an offset of a template's source.
type insertion struct {
	at   int
	text string
}

// instrument returns src with the bound checks inserted. A template that
// does not parse is returned as it is: Helm reports its error.
func instrument(name, src string) string {
	if !strings.Contains(src, "{{") {
		return src
	}
	t := parse.New(name)
	t.Mode = parse.SkipFuncCheck
	trees := map[string]*parse.Tree{}
	if _, err := t.Parse(src, "", "", trees); err != nil {
		return src
	}
	var ins []insertion
	for tname, tree := range trees {
		if tree.Root == nil {
			continue
		}
		if tname != name {
			// A define (or block) body: runs once per call.
			ins = append(ins, tick(src, int(tree.Root.Position()), callFunc))
		}
		ins = walk(src, tree.Root, ins)
	}
	if len(ins) == 0 {
		return src
	}
	// Later offsets first, so earlier ones stay valid; the sort is stable
	// so that two insertions at one offset keep a fixed order.
	slices.SortStableFunc(ins, func(a, b insertion) int { return b.at - a.at })
	out := src
	for _, in := range ins {
		out = out[:in.at] + in.text + out[in.at:]
	}
	return out
}

// walk collects the insertions below a node.
func walk(src string, n parse.Node, ins []insertion) []insertion {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return ins
		}
		for _, c := range n.Nodes {
			ins = walk(src, c, ins)
		}
	case *parse.ActionNode:
		ins = walkPipe(src, n.Pipe, ins)
	case *parse.IfNode:
		ins = walkBranch(src, &n.BranchNode, ins)
	case *parse.WithNode:
		ins = walkBranch(src, &n.BranchNode, ins)
	case *parse.RangeNode:
		if n.List != nil {
			ins = append(ins, tick(src, int(n.List.Position()), loopFunc))
		}
		ins = walkBranch(src, &n.BranchNode, ins)
	case *parse.TemplateNode:
		ins = walkPipe(src, n.Pipe, ins)
	}
	return ins
}

func walkBranch(src string, b *parse.BranchNode, ins []insertion) []insertion {
	ins = walkPipe(src, b.Pipe, ins)
	ins = walk(src, b.List, ins)
	if b.ElseList != nil {
		ins = walk(src, b.ElseList, ins)
	}
	return ins
}

// walkPipe wraps the string argument of every tpl call in a pipeline, its
// parenthesized pipelines included.
func walkPipe(src string, p *parse.PipeNode, ins []insertion) []insertion {
	if p == nil {
		return ins
	}
	for _, cmd := range p.Cmds {
		for _, arg := range cmd.Args {
			switch a := arg.(type) {
			case *parse.PipeNode:
				ins = walkPipe(src, a, ins)
			case *parse.ChainNode:
				if inner, ok := a.Node.(*parse.PipeNode); ok {
					ins = walkPipe(src, inner, ins)
				}
			}
		}
		id, ok := cmd.Args[0].(*parse.IdentifierNode)
		if !ok || id.Ident != "tpl" || len(cmd.Args) < 2 {
			continue
		}
		start := skipSpace(src, int(id.Position())+len("tpl"))
		end := operandEnd(src, start)
		if end <= start {
			continue
		}
		ins = append(ins, insertion{at: end, text: ")"}, insertion{at: start, text: "(" + tplFunc + " "})
	}
	return ins
}

// tick returns the call of fn to insert at a list's first item. When that
// item is an action that trims the space before it ("{{- "), the call
// trims it instead, so the output keeps the same white space.
func tick(src string, at int, fn string) insertion {
	rest := src[at:]
	if strings.HasPrefix(rest, "{{-") && len(rest) > 3 && strings.ContainsRune(" \t\r\n", rune(rest[3])) {
		return insertion{at: at, text: "{{- " + fn + "}}"}
	}
	return insertion{at: at, text: "{{" + fn + "}}"}
}

func skipSpace(src string, i int) int {
	for i < len(src) && strings.ContainsRune(" \t\r\n", rune(src[i])) {
		i++
	}
	return i
}

// operandEnd returns the offset after the operand of a template command
// that starts at i: a parenthesized pipeline (and the fields chained after
// it), a quoted string, raw string or character, or a run of field,
// variable, identifier or number characters. It returns i when it cannot
// tell.
func operandEnd(src string, i int) int {
	if i >= len(src) {
		return i
	}
	switch src[i] {
	case '(':
		depth := 0
		for j := i; j < len(src); j++ {
			switch src[j] {
			case '"', '`', '\'':
				j = quotedEnd(src, j) - 1
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					return fieldsEnd(src, j+1)
				}
			}
		}
		return i
	case '"', '`', '\'':
		return quotedEnd(src, i)
	}
	return fieldsEnd(src, i)
}

// quotedEnd returns the offset after the quoted text that starts at i.
func quotedEnd(src string, i int) int {
	q := src[i]
	for j := i + 1; j < len(src); j++ {
		switch {
		case src[j] == '\\' && q != '`':
			j++
		case src[j] == q:
			return j + 1
		}
	}
	return len(src)
}

// fieldsEnd returns the offset after a run of the characters of fields,
// variables, identifiers and numbers.
func fieldsEnd(src string, i int) int {
	for i < len(src) {
		c := src[i]
		if c == '.' || c == '$' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80 {
			i++
			continue
		}
		break
	}
	return i
}
