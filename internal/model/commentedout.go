package model

import (
	"os"
	"path"
	"strings"

	"sigs.k8s.io/kustomize/api/konfig"

	"github.com/fluxlint/fluxlint/internal/source"
)

// CommentedOut reports whether a kustomization file of a folder above rel
// lists rel, or a folder that holds it, in a line that is commented out
// ("# - ./external.yaml"): a resource switched off on purpose. It is not
// the root of another cluster, and what it defines is not applied by
// hand either: it does not exist.
func CommentedOut(repo *source.Repo, rel string) bool {
	return commentedOut(rel, func(d string) []string { return kustomizationTexts(repo, d) })
}

// commentedOut is CommentedOut with the texts of each folder's
// kustomization files read by texts.
func commentedOut(rel string, texts func(dir string) []string) bool {
	for d := path.Dir(rel); ; d = path.Dir(d) {
		for _, text := range texts(d) {
			if listsCommentedOut(text, d, rel) {
				return true
			}
		}
		if d == "." || d == "/" {
			return false
		}
	}
}

// kustomizationTexts returns the texts of the kustomization files of a
// folder of the repository.
func kustomizationTexts(repo *source.Repo, dir string) []string {
	var out []string
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		if data, err := os.ReadFile(repo.Abs(path.Join(dir, name))); err == nil {
			out = append(out, string(data))
		}
	}
	return out
}

// listsCommentedOut reports whether the kustomization file text of folder
// d has a commented-out list item that names rel or a folder holding it.
func listsCommentedOut(text, d, rel string) bool {
	for _, entry := range commentedEntries(text) {
		target := path.Join(d, entry)
		if target == rel || target == "." || strings.HasPrefix(rel, target+"/") {
			return true
		}
	}
	return false
}

// commentedEntries returns the entries of a kustomization file's
// commented-out lines ("# - ./external.yaml", or a lone "# ./external"):
// one word, without a space or a colon, which a comment's prose has.
func commentedEntries(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		entry, ok := strings.CutPrefix(strings.TrimSpace(line), "#")
		if !ok {
			continue
		}
		entry = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(entry), "-"))
		if entry != "" && !strings.ContainsAny(entry, " :") {
			out = append(out, entry)
		}
	}
	return out
}
