package render

import (
	"encoding/hex"
	"path/filepath"
	"regexp"
	"strings"
)

// encodedPrefix starts the name a build sees for a file or folder of the
// artifact whose real name kustomize's in-memory file system would refuse
// ("joke autoupdate", "café", "a..b"). Flux builds on disk, where such
// names are fine; fluxlint stages its generated kustomization.yaml in
// memory, so such a folder reaches kustomize under an encoded name made of
// the characters it accepts, and every path kustomize gives back is decoded.
const encodedPrefix = "_fluxlint-"

// encodedName matches an encoded name in a message of the build.
var encodedName = regexp.MustCompile(regexp.QuoteMeta(encodedPrefix) + "[0-9a-f]+")

// plainName reports whether kustomize's in-memory file system takes name
// as it is: only the characters [a-zA-Z0-9-_.:], no "..", and not a name
// that would read as an encoded one.
func plainName(name string) bool {
	if name == "" || strings.Contains(name, "..") || strings.HasPrefix(name, encodedPrefix) {
		return false
	}
	for i := range len(name) {
		if !legalByte(name[i]) {
			return false
		}
	}
	return true
}

// legalByte reports whether kustomize's in-memory file system takes a
// byte in a name: [a-zA-Z0-9-_.:].
func legalByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return c == '-' || c == '_' || c == '.' || c == ':'
}

// encodePath returns the names a build sees for the path rel below the
// artifact's root; "." and ".." stay as they are.
func encodePath(rel string) string {
	return mapNames(rel, func(name string) string {
		if name == "." || name == ".." || name == "" || plainName(name) {
			return name
		}
		return encodedPrefix + hex.EncodeToString([]byte(name))
	})
}

// decodePath returns the real names of a path that a build gave, relative
// or below the artifact's root; names that were not encoded stay as they
// are, so a path kustomize joined from an encoded folder and a plain
// relative path decodes right.
func decodePath(p string) string {
	if !strings.Contains(p, encodedPrefix) {
		return p
	}
	return mapNames(p, decodeName)
}

// decodeName returns the real name of one encoded name.
func decodeName(name string) string {
	rest, ok := strings.CutPrefix(name, encodedPrefix)
	if !ok {
		return name
	}
	b, err := hex.DecodeString(rest)
	if err != nil {
		return name
	}
	return string(b)
}

// decodeMessage returns a message of the build with its encoded names
// decoded.
func decodeMessage(msg string) string {
	if !strings.Contains(msg, encodedPrefix) {
		return msg
	}
	return encodedName.ReplaceAllStringFunc(msg, decodeName)
}

// mapNames applies f to each name of a path, separators kept.
func mapNames(p string, f func(string) string) string {
	names := strings.Split(p, string(filepath.Separator))
	changed := false
	for i, n := range names {
		if m := f(n); m != n {
			names[i], changed = m, true
		}
	}
	if !changed {
		return p
	}
	return strings.Join(names, string(filepath.Separator))
}
