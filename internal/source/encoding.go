package source

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// utf16LE and utf16BE are the byte order marks of UTF-16 text.
var (
	utf16LE = []byte{0xFF, 0xFE}
	utf16BE = []byte{0xFE, 0xFF}
)

// utf8Text returns a file's bytes as UTF-8 text without a byte order mark, and
// whether they are text: UTF-8, or UTF-16 with its byte order mark, which
// YAML parsers, kustomize's among them, read too (an editor on Windows
// writes it).
func utf8Text(data []byte) ([]byte, bool) {
	if data = bytes.TrimPrefix(data, utf8BOM); utf8.Valid(data) && bytes.IndexByte(data, 0) < 0 {
		return data, true
	}
	var big bool
	switch {
	case bytes.HasPrefix(data, utf16LE):
	case bytes.HasPrefix(data, utf16BE):
		big = true
	default:
		return data, false
	}
	data = data[2:]
	if len(data)%2 != 0 {
		return data, false
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		lo, hi := data[2*i], data[2*i+1]
		if big {
			lo, hi = hi, lo
		}
		units[i] = uint16(lo) | uint16(hi)<<8
	}
	out := []byte(string(utf16.Decode(units)))
	return out, bytes.IndexByte(out, 0) < 0
}
