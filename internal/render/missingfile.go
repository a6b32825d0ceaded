package render

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"sigs.k8s.io/kustomize/api/konfig"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/source"
)

// missingFile matches a file that a build did not find, as kustomize
// ("open PATH: no such file or directory") and Flux's kustomization
// generator ("lstat PATH: no such file or directory") name it.
var missingFile = regexp.MustCompile(`(?:open|lstat) (\S+): no such file or directory`)

// missingEntry finds the entry of a kustomization file that names the file
// a build error says is missing (the innermost, when kustomize names
// several): the resources or components item, or the patch path, to edit,
// in a kustomization
// file of the missing file's folder or of a folder above it, up to the
// artifact's root.
func missingEntry(repo *source.Repo, root string, err error) (finding.Pos, bool) {
	all := missingFile.FindAllStringSubmatch(err.Error(), -1)
	if len(all) == 0 {
		return finding.Pos{}, false
	}
	missing := filepath.Clean(all[len(all)-1][1])
	if !filepath.IsAbs(missing) {
		missing = filepath.Join(repo.Root, missing)
	}
	for dir := filepath.Dir(missing); ; dir = filepath.Dir(dir) {
		if pos, ok := entryIn(repo, dir, missing); ok {
			return pos, true
		}
		if dir == root || dir == filepath.Dir(dir) || !within(dir, root) {
			return finding.Pos{}, false
		}
	}
}

// entryIn finds, in the kustomization file of dir, the resources or
// components item or the patch path that names the file missing.
func entryIn(repo *source.Repo, dir, missing string) (finding.Pos, bool) {
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		abs := filepath.Join(dir, name)
		if _, err := os.Stat(abs); err != nil {
			continue
		}
		rel, ok := repo.Rel(abs)
		if !ok {
			return finding.Pos{}, false
		}
		f, err := repo.File(rel)
		if err != nil || len(f.Docs) == 0 {
			return finding.Pos{}, false
		}
		doc := f.Docs[0]
		for _, field := range []string{"resources", "components", "patches"} {
			list, ok := doc.Lookup([]string{field})
			if !ok {
				continue
			}
			for i := range list.Value.Content {
				path := []string{field, strconv.Itoa(i)}
				if field == "patches" {
					path = append(path, "path") // a patch file; an inline patch has none
				}
				if entry := doc.Str(path...); entry != "" && filepath.Join(dir, filepath.FromSlash(entry)) == missing {
					return doc.PosOf(path), true
				}
			}
		}
		return finding.Pos{}, false
	}
	return finding.Pos{}, false
}

// within reports whether path is root or lies below it.
func within(path, root string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !filepath.IsAbs(rel) && (len(rel) < 3 || rel[:3] != ".."+string(filepath.Separator))
}
