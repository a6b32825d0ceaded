package cache

import (
	"encoding/json"
	"testing"
)

func TestValueHashes(t *testing.T) {
	hash := func(v any) string {
		t.Helper()
		sum, sealPart, ok := ValueHashes(v)
		if !ok {
			t.Fatalf("ValueHashes(%v) not ok", v)
		}
		if sum == sealPart {
			t.Fatalf("ValueHashes(%v): the two hashes are the same", v)
		}
		return sum
	}
	a := map[string]any{"kind": "ConfigMap", "data": map[string]any{"x": "1", "y": []any{int64(2), 2.5, true, nil}}}
	b := map[string]any{"data": map[string]any{"y": []any{int64(2), 2.5, true, nil}, "x": "1"}, "kind": "ConfigMap"}
	if hash(a) != hash(b) {
		t.Error("equal maps hash apart")
	}
	for _, pair := range [][2]any{
		{int64(1), 1.0},
		{"1", int64(1)},
		{[]any{"ab", "c"}, []any{"a", "bc"}},
		{map[string]any{"a": "b"}, map[string]any{"ab": ""}},
		{[]any{}, map[string]any{}},
		{nil, ""},
		{json.Number("1"), "1"},
	} {
		if hash(pair[0]) == hash(pair[1]) {
			t.Errorf("%#v and %#v hash alike", pair[0], pair[1])
		}
	}
	if _, _, ok := ValueHashes(map[string]any{"f": func() {}}); ok {
		t.Error("a value JSON cannot encode was hashed")
	}
}
