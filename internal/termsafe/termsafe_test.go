package termsafe

import (
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "plain", in: "Deployment/web: image nginx:1.27", want: "Deployment/web: image nginx:1.27"},
		{name: "tab and non-ASCII kept", in: "a\tb München ✓", want: "a\tb München ✓"},
		{name: "terminal escape", in: "name\x1b[2J\x1b]0;pwned\x07", want: `name\x1b[2J\x1b]0;pwned\x07`},
		{name: "workflow command after a newline", in: "ok\n::error::fake\r\n::add-mask::x", want: `ok\n::error::fake\r\n::add-mask::x`},
		{name: "DEL and C1", in: "a\x7fb\u009bc", want: `a\x7fb\x9bc`},
		{name: "bidi override and isolate", in: "admin\u202e\u2066x", want: `admin\u202e\u2066x`},
		{name: "bytes that are not UTF-8", in: "M\xfcnchen\x9b", want: `M\xfcnchen\x9b`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Escape(tt.in); got != tt.want {
				t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if Clean(tt.in) != (tt.in == tt.want) {
				t.Errorf("Clean(%q) = %v", tt.in, Clean(tt.in))
			}
		})
	}
}

func TestEscapeLines(t *testing.T) {
	in := "one\ntwo\r\n\x1b[2Jthree"
	if got, want := EscapeLines(in), "one\ntwo\r\n\\x1b[2Jthree"; got != want {
		t.Errorf("EscapeLines(%q) = %q, want %q", in, got, want)
	}
}

// FuzzEscape checks that escaped text holds no unsafe rune and no byte
// that is not UTF-8, and that clean text is left alone.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "plain", "a\x1b[31mred", "x\n::error::y", "\u202e", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Escape(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Escape(%q) = %q is not UTF-8", s, out)
		}
		for _, r := range out {
			if Unsafe(r) {
				t.Fatalf("Escape(%q) = %q holds %U", s, out, r)
			}
		}
		if Clean(s) && out != s {
			t.Fatalf("Escape changed clean text %q to %q", s, out)
		}
		lines := EscapeLines(s)
		for _, r := range lines {
			if r != '\n' && r != '\r' && Unsafe(r) {
				t.Fatalf("EscapeLines(%q) = %q holds %U", s, lines, r)
			}
		}
	})
}
