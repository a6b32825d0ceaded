package termsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Unsafe reports whether a rune must not reach a terminal or a log raw:
// C0 controls (tab excepted), DEL, C1 controls, and the bidirectional
// embeddings, overrides and isolates U+202A to U+202E and U+2066 to
// U+2069.
func Unsafe(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\t'
	case r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// Escape returns s with every unsafe rune, and every byte that is not
// UTF-8, written as a Go escape: \n, \r, \x1b, \u202e. Text with none is
// returned as it is.
func Escape(s string) string {
	return escape(s, false)
}

// EscapeLines is Escape for text whose line breaks the output format
// carries safely on its own (a GitHub workflow command's data escapes
// them as %0A and %0D, XML keeps them as text): "\n" and "\r" stay,
// every other unsafe rune is escaped.
func EscapeLines(s string) string {
	return escape(s, true)
}

// EscapeEachLine escapes each line of a whole output, whose line breaks
// ("\n") are the output's own: every other unsafe rune is escaped, "\r"
// included.
func EscapeEachLine(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Escape(l)
	}
	return strings.Join(lines, "\n")
}

func escape(s string, keepNewlines bool) string {
	if !needsEscape(s, keepNewlines) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case (r == '\n' || r == '\r') && keepNewlines:
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x100 && Unsafe(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case Unsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// needsEscape reports whether s holds an unsafe rune or a byte that is not
// UTF-8.
func needsEscape(s string, keepNewlines bool) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && (c != '\n' && c != '\r' || !keepNewlines) || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || Unsafe(r) {
			return true
		}
		i += size
	}
	return false
}

// Clean reports whether s can be printed as it is: Escape(s) == s.
func Clean(s string) bool { return !needsEscape(s, false) }
