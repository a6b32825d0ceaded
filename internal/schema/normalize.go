package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
)

// normalize returns a copy of v that the jsonschema engine accepts: map
// entries whose value is null are dropped (the API server treats an
// explicit null as absent), and values of other Go types than those
// encoding/json produces are converted through JSON. v is not modified.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			if e != nil {
				out[k] = normalize(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalize(e)
		}
		return out
	case float64:
		return finite(t)
	case float32:
		return finite(float64(t))
	case nil, string, bool, json.Number, int, int8, int16, int32, int64,
		uint, uint8, uint16, uint32, uint64:
		return t
	case map[string]string:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = e
		}
		return out
	case []string:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = e
		}
		return out
	default:
		return viaJSON(t)
	}
}

// viaJSON converts a value of any other type (a time.Time, a typed struct,
// a typed slice) to its JSON form, or to its printed form if it has none.
func viaJSON(v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return fmt.Sprint(v)
	}
	return normalize(out)
}

// finite returns f, or its printed form ("NaN", "+Inf") when JSON cannot
// represent it, so that it fails validation instead of the engine.
func finite(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Sprint(f)
	}
	return f
}
