package render

import (
	"encoding/binary"
	"errors"
	"maps"
	"math"
	"slices"
)

// An object's content is kept in the render cache in an encoding of its
// own, because the usual ones change it: JSON turns every number into a
// float64 and gob an empty list or map into a nil one, which schema checks
// and output tell apart. The encoding keeps each Go type YAML decoding
// gives, and refuses any other.

// Tags of encoded values.
const (
	tagNil byte = iota
	tagFalse
	tagTrue
	tagInt
	tagInt64
	tagUint64
	tagFloat64
	tagString
	tagList
	tagNilList
	tagMap
	tagNilMap
)

var errContent = errors.New("render cache: malformed content")

// appendContent appends the encoding of v to buf; ok is false when v holds
// a type the encoding does not keep.
func appendContent(buf []byte, v any) (_ []byte, ok bool) {
	switch x := v.(type) {
	case []any:
		if x == nil {
			return append(buf, tagNilList), true
		}
		buf = binary.AppendUvarint(append(buf, tagList), uint64(len(x)))
		for _, e := range x {
			if buf, ok = appendContent(buf, e); !ok {
				return buf, false
			}
		}
		return buf, true
	case map[string]any:
		if x == nil {
			return append(buf, tagNilMap), true
		}
		buf = binary.AppendUvarint(append(buf, tagMap), uint64(len(x)))
		for _, k := range slices.Sorted(maps.Keys(x)) {
			buf = appendString(buf, k)
			if buf, ok = appendContent(buf, x[k]); !ok {
				return buf, false
			}
		}
		return buf, true
	}
	return appendScalar(buf, v)
}

// appendScalar appends the encoding of a value that is not a list or map.
func appendScalar(buf []byte, v any) (_ []byte, ok bool) {
	switch x := v.(type) {
	case nil:
		return append(buf, tagNil), true
	case bool:
		if x {
			return append(buf, tagTrue), true
		}
		return append(buf, tagFalse), true
	case int:
		return binary.AppendVarint(append(buf, tagInt), int64(x)), true
	case int64:
		return binary.AppendVarint(append(buf, tagInt64), x), true
	case uint64:
		return binary.AppendUvarint(append(buf, tagUint64), x), true
	case float64:
		return binary.BigEndian.AppendUint64(append(buf, tagFloat64), math.Float64bits(x)), true
	case string:
		return appendString(append(buf, tagString), x), true
	}
	return buf, false
}

func appendString(buf []byte, s string) []byte {
	return append(binary.AppendUvarint(buf, uint64(len(s))), s...)
}

// readContent decodes one value from data and returns the rest.
func readContent(data []byte) (any, []byte, error) {
	if len(data) == 0 {
		return nil, nil, errContent
	}
	tag, data := data[0], data[1:]
	switch tag {
	case tagNilList:
		return []any(nil), data, nil
	case tagNilMap:
		return map[string]any(nil), data, nil
	case tagList:
		return readList(data)
	case tagMap:
		return readMap(data)
	}
	return readScalar(tag, data)
}

// readScalar decodes a value that is not a list or map.
func readScalar(tag byte, data []byte) (any, []byte, error) {
	switch tag {
	case tagNil:
		return nil, data, nil
	case tagFalse, tagTrue:
		return tag == tagTrue, data, nil
	case tagInt, tagInt64:
		n, size := binary.Varint(data)
		if size <= 0 {
			return nil, nil, errContent
		}
		if tag == tagInt {
			return int(n), data[size:], nil
		}
		return n, data[size:], nil
	case tagUint64:
		n, size := binary.Uvarint(data)
		if size <= 0 {
			return nil, nil, errContent
		}
		return n, data[size:], nil
	case tagFloat64:
		if len(data) < 8 {
			return nil, nil, errContent
		}
		return math.Float64frombits(binary.BigEndian.Uint64(data)), data[8:], nil
	case tagString:
		return readString(data)
	}
	return nil, nil, errContent
}

func readString(data []byte) (string, []byte, error) {
	n, size := binary.Uvarint(data)
	if size <= 0 {
		return "", nil, errContent
	}
	rest := data[size:]
	if n > uint64(len(rest)) {
		return "", nil, errContent
	}
	return string(rest[:n]), rest[n:], nil
}

func readList(data []byte) (any, []byte, error) {
	n, size := binary.Uvarint(data)
	if size <= 0 || n > uint64(len(data)) {
		return nil, nil, errContent
	}
	data = data[size:]
	out := make([]any, n)
	for i := range out {
		var err error
		if out[i], data, err = readContent(data); err != nil {
			return nil, nil, err
		}
	}
	return out, data, nil
}

func readMap(data []byte) (any, []byte, error) {
	n, size := binary.Uvarint(data)
	if size <= 0 || n > uint64(len(data)) {
		return nil, nil, errContent
	}
	data = data[size:]
	out := make(map[string]any, n)
	for range n {
		k, rest, err := readString(data)
		if err != nil {
			return nil, nil, err
		}
		if out[k], data, err = readContent(rest); err != nil {
			return nil, nil, err
		}
	}
	return out, data, nil
}
