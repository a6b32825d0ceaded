package model

import (
	"encoding/base64"
	"fmt"
	"slices"
)

// SecretData returns the decoded values of a rendered Secret: data
// base64-decoded, and stringData as written.
func SecretData(o *Object) []string {
	var out []string
	data, _ := o.Content["data"].(map[string]any)
	for _, v := range data {
		if raw, err := base64.StdEncoding.DecodeString(fmt.Sprint(v)); err == nil {
			out = append(out, string(raw))
		}
	}
	strData, _ := o.Content["stringData"].(map[string]any)
	for _, v := range strData {
		out = append(out, fmt.Sprint(v))
	}
	slices.Sort(out)
	return out
}
