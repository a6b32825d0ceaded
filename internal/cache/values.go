package cache

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"slices"
)

// ValueHashes returns two independent hashes of a decoded YAML or JSON
// value (maps, lists and scalars), as dataHashes does for a file's bytes:
// one a record may keep, and one for the key that seals it. They hash a
// typed encoding that sorts map keys, so equal values hash alike whatever
// their maps' order, and an integer never hashes as the float of the same
// number. ok is false for a value that holds what JSON cannot encode.
//
// The encoding is written here rather than by encoding/json because the
// schema results of every object of a cluster are looked up by it, and
// json.Marshal, with its reflection, was most of that lookup.
func ValueHashes(v any) (sum, sealPart string, ok bool) {
	enc, ok := appendValue(nil, v)
	if !ok {
		return "", "", false
	}
	sum, sealPart = dataHashes(enc)
	return sum, sealPart, true
}

// appendValue appends the typed encoding of v to b.
func appendValue(b []byte, v any) ([]byte, bool) {
	switch x := v.(type) {
	case nil:
		return append(b, 'n'), true
	case bool:
		if x {
			return append(b, 't'), true
		}
		return append(b, 'f'), true
	case string:
		return appendString(append(b, 's'), x), true
	case int64:
		return binary.AppendVarint(append(b, 'i'), x), true
	case int:
		return binary.AppendVarint(append(b, 'i'), int64(x)), true
	case float64:
		return binary.BigEndian.AppendUint64(append(b, 'd'), math.Float64bits(x)), true
	case map[string]any:
		return appendMap(b, x)
	case []any:
		b = binary.AppendUvarint(append(b, 'l'), uint64(len(x)))
		for _, item := range x {
			var ok bool
			if b, ok = appendValue(b, item); !ok {
				return nil, false
			}
		}
		return b, true
	default:
		// Other scalars (json.Number, unsigned integers) are rare: their
		// JSON, tagged apart from the kinds above, stands for them.
		data, err := json.Marshal(x)
		if err != nil {
			return nil, false
		}
		return appendString(append(b, 'j'), string(data)), true
	}
}

// appendMap appends the encoding of a map, its keys sorted.
func appendMap(b []byte, m map[string]any) ([]byte, bool) {
	b = binary.AppendUvarint(append(b, 'm'), uint64(len(m)))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b = appendString(b, k)
		var ok bool
		if b, ok = appendValue(b, m[k]); !ok {
			return nil, false
		}
	}
	return b, true
}

// appendString appends a string with its length before it.
func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}
