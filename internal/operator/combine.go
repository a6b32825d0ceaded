package operator

import (
	"fmt"
	"hash/adler32"
	"strings"
	"unicode"
)

// combine merges the input sets of the sources (the ResourceSet first) with
// the input strategy, as internal/inputs Combine does.
func combine(strategy string, includeEmpty bool, sources []inputSource) ([]map[string]any, error) {
	switch strategy {
	case "", strategyFlatten:
		var out []map[string]any
		for _, s := range sources {
			out = append(out, s.withProvider()...)
		}
		return out, nil
	case strategyPermute:
		return permute(sources, includeEmpty)
	default:
		return nil, fmt.Errorf("unknown input strategy: '%s'", strategy)
	}
}

// permute returns the Cartesian product of the sources' input sets, each
// set under the normalised name of its source, plus an "id" naming the
// combination. Sources without inputs are skipped unless includeEmpty is
// set, in which case they make the product empty.
func permute(sources []inputSource, includeEmpty bool) ([]map[string]any, error) {
	type scoped struct {
		key    string
		inputs []map[string]any
	}
	var factors []scoped
	total := 1
	for _, s := range sources {
		ins := s.withProvider()
		if len(ins) == 0 && !includeEmpty {
			continue
		}
		total *= len(ins)
		if total > maxPermutations {
			return nil, fmt.Errorf("adding provider '%s' with %d inputs would exceed the maximum allowed permutations. max: %d, got: %d",
				s.name, len(ins), maxPermutations, total)
		}
		key := normalizeKey(s.name)
		if key == "" {
			return nil, fmt.Errorf("normalized provider name is empty: '%s'", s.name)
		}
		factors = append(factors, scoped{key: key, inputs: ins})
	}
	if len(factors) == 0 || total == 0 {
		return nil, nil
	}
	out := make([]map[string]any, 0, total)
	idx := make([]int, len(factors))
	for {
		perm := map[string]any{}
		parts := make([]string, len(factors))
		for f, i := range idx {
			perm[factors[f].key] = factors[f].inputs[i]
			parts[f] = fmt.Sprintf("%s=%d", factors[f].key, i)
		}
		perm["id"] = inputID(strings.Join(parts, "/"))
		out = append(out, perm)
		// Advance the last index first, like an odometer.
		f := len(idx) - 1
		for ; f >= 0; f-- {
			idx[f]++
			if idx[f] < len(factors[f].inputs) {
				break
			}
			idx[f] = 0
		}
		if f < 0 {
			return out, nil
		}
	}
}

// normalizeKey turns a provider name into a template-friendly key: lower
// case, spaces and punctuation to "_", other characters outside [a-z0-9]
// dropped, and runs of "_" collapsed and trimmed.
func normalizeKey(name string) string {
	mapped := strings.Map(func(r rune) rune {
		r = unicode.ToLower(r)
		switch {
		case unicode.IsSpace(r) || unicode.IsPunct(r):
			return '_'
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		default:
			return -1
		}
	}, name)
	words := strings.FieldsFunc(mapped, func(r rune) bool { return r == '_' })
	return strings.Join(words, "_")
}

// inputID is the operator's input id: the Adler-32 checksum of s in decimal.
func inputID(s string) string {
	return fmt.Sprint(adler32.Checksum([]byte(s)))
}
