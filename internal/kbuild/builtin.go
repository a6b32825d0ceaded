package kbuild

import (
	"bytes"
	_ "embed"
	"regexp"
	"strings"
	"sync"
)

// builtinKindsTable lists, a line each ("apiVersion kind"), the types that
// kustomize's built-in OpenAPI schema describes: those whose strategic
// merges it can change. TestBuiltinKindsTable checks it against kyaml's
// bundle and writes it again with -update.
//
//go:embed builtin_kinds.txt
var builtinKindsTable string

// builtinKinds is builtinKindsTable as a set.
var builtinKinds = sync.OnceValue(func() map[[2]string]bool {
	out := map[[2]string]bool{}
	for line := range strings.Lines(builtinKindsTable) {
		if apiVersion, kind, ok := strings.Cut(strings.TrimSpace(line), " "); ok {
			out[[2]string{apiVersion, kind}] = true
		}
	}
	return out
})

// typeField matches an apiVersion or kind key, quoted or not, in YAML
// block or flow style or JSON, and the start of its value, which may stand
// on the next line; an anchor or tag before the value is skipped.
var typeField = regexp.MustCompile(`\b(apiVersion|kind)["']?[ \t]*:\s*(?:&\S+\s+)?(?:!\S*\s+)?(["']?)([^\s"',}\]#]*)`)

// unsure matches text that mayUseBuiltinSchema cannot read a type from,
// or that makes kyaml look a schema up by other means than an object's
// type: a field's schema in a comment (fieldmeta's $openapi, $ref and
// $kpt-set), an escape that can spell a letter (a hexadecimal code or a
// line break in a double-quoted string), an explicit key
// ("? kind"), and the replacements and vars that copy values into fields.
var unsure = regexp.MustCompile(`\$(openapi|ref|kpt-set)\b|\\([xuU]|\r?\n)|(?m)^[ \t-]*\?[ \t]|\b(replacements|vars)["']?[ \t]*:`)

// mayUseBuiltinSchema reports whether a build that read files could find
// a type of kustomize's built-in schema: whether any apiVersion written in
// them, with any kind written in them, is one (both values may come from
// different objects), or a generator makes a ConfigMap or Secret. It
// answers true as well when it cannot tell (unsure, or a value that is an
// alias). Only when it answers false does the schema not matter to the
// build: kyaml looks a schema up by the type of each object and nested
// object the strategic merges visit, and finds none for other types.
func mayUseBuiltinSchema(files [][]byte) bool {
	apiVersions, kinds := map[string]bool{}, map[string]bool{}
	for _, f := range files {
		if unsure.Match(f) {
			return true
		}
		if bytes.Contains(f, []byte("Generator")) {
			apiVersions["v1"] = true
			kinds["ConfigMap"], kinds["Secret"] = true, true
		}
		for _, m := range typeField.FindAllSubmatch(f, -1) {
			value := string(m[3])
			if strings.HasPrefix(value, "*") {
				return true
			}
			if string(m[1]) == "apiVersion" {
				apiVersions[value] = true
			} else {
				kinds[value] = true
			}
		}
	}
	table := builtinKinds()
	for apiVersion := range apiVersions {
		for kind := range kinds {
			if table[[2]string{apiVersion, kind}] {
				return true
			}
		}
	}
	return false
}
