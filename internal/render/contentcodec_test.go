package render

import (
	"reflect"
	"testing"
	"time"
)

func TestContentCodecKeepsTypes(t *testing.T) {
	in := map[string]any{
		"int": 3, "negative": -7, "int64": int64(1) << 40, "uint64": uint64(1) << 63,
		"float": 1.0, "half": 0.5, "true": true, "false": false, "null": nil,
		"string": "héllo ${var}", "empty": "",
		"list":      []any{1, "two", []any{}, map[string]any{}},
		"emptyList": []any{}, "nilList": []any(nil),
		"emptyMap": map[string]any{}, "nilMap": map[string]any(nil),
		"nested": map[string]any{"a": map[string]any{"b": []any{nil, 2.5}}},
	}
	data, ok := appendContent(nil, in)
	if !ok {
		t.Fatal("appendContent refused plain YAML content")
	}
	out, rest, err := readContent(data)
	if err != nil || len(rest) != 0 {
		t.Fatalf("readContent: %v, %d bytes left", err, len(rest))
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("round trip changed the content:\n got %#v\nwant %#v", out, in)
	}
	again, _ := appendContent(nil, out)
	if string(again) != string(data) {
		t.Error("encoding is not deterministic")
	}
}

func TestContentCodecRefusesOtherTypes(t *testing.T) {
	for _, v := range []any{time.Now(), map[any]any{1: 2}, []string{"a"}, int32(1)} {
		if _, ok := appendContent(nil, map[string]any{"v": v}); ok {
			t.Errorf("%T was encoded; the cache must not keep a type it cannot give back", v)
		}
	}
}

func TestContentCodecRejectsMalformedData(t *testing.T) {
	data, _ := appendContent(nil, map[string]any{"a": []any{"bc", 1.5}, "d": int64(-9)})
	for i := range data {
		if _, rest, err := readContent(data[:i]); err == nil && len(rest) == 0 {
			t.Errorf("a truncation to %d of %d bytes decoded without error", i, len(data))
		}
	}
	huge := []byte{tagList, 0xff, 0xff, 0xff, 0xff, 0x0f}
	if _, _, err := readContent(huge); err == nil {
		t.Error("a list claiming 2^32 elements in 6 bytes decoded")
	}
}
