package render

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/source"
)

// missingFile matches a file that a build did not find, as kustomize
// ("open PATH: no such file or directory", "evalsymlink failure on
// 'PATH'") and Flux's kustomization generator ("lstat PATH: no such file
// or directory") name it, or a resource file that kustomize could not add
// ("must build at directory: 'PATH': file is not directory", after the
// error of merging its objects: one already added, one not an object).
var missingFile = regexp.MustCompile(`(?:(?:open|lstat) (\S+): no such file or directory|evalsymlink failure on '([^']+)'|must build at directory: '([^']+)': file is not directory)`)

// accumulated matches a folder whose kustomization kustomize was building
// when it failed.
var accumulated = regexp.MustCompile(`accumulation of path '([^']+)'`)

// missingEntry finds the entry of a kustomization file that names the file
// a build error says is missing (the innermost, when kustomize names
// several), or a folder below a missing one: the resources or components
// item, or the patch path, to edit, in the kustomization kustomize was
// building when it failed, or in one of the missing file's folder or of a
// folder above it, up to the artifact's root.
func missingEntry(repo *source.Repo, root string, err error) (finding.Pos, bool) {
	msg := err.Error()
	all := missingFile.FindAllStringSubmatch(msg, -1)
	if len(all) == 0 {
		return finding.Pos{}, false
	}
	var dirs []string
	if m := accumulated.FindAllStringSubmatch(msg, -1); len(m) > 0 {
		dirs = append(dirs, absIn(repo, m[len(m)-1][1]))
	}
	for i := len(all) - 1; i >= 0; i-- {
		missing := absIn(repo, all[i][1]+all[i][2]+all[i][3])
		for _, dir := range dirs {
			if pos, ok := entryIn(repo, dir, missing); ok {
				return pos, true
			}
		}
		for dir := filepath.Dir(missing); within(dir, root); dir = filepath.Dir(dir) {
			if pos, ok := entryIn(repo, dir, missing); ok {
				return pos, true
			}
			if dir == root || dir == filepath.Dir(dir) {
				break
			}
		}
	}
	return finding.Pos{}, false
}

// absIn returns a path of a build error as an absolute one: errors name
// files below the repository's root, or relative to it.
func absIn(repo *source.Repo, p string) string {
	p = filepath.Clean(p)
	if !filepath.IsAbs(p) {
		p = filepath.Join(repo.Root, p)
	}
	return p
}

// entryIn finds, in the kustomization file of dir, the resources or
// components item or the patch path that names the file missing.
func entryIn(repo *source.Repo, dir, missing string) (finding.Pos, bool) {
	if abs, ok := kustomizationFile(filesys.MakeFsOnDisk(), dir); ok {
		doc, ok := firstDocument(repo, abs)
		if !ok {
			return finding.Pos{}, false
		}
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
				if entry := doc.Str(path...); entry != "" && names(filepath.Join(dir, filepath.FromSlash(entry)), missing) {
					return doc.PosOf(path), true
				}
			}
		}
	}
	return finding.Pos{}, false
}

// firstDocument returns the first document of a repository file given
// by its absolute path: a kustomization file's.
func firstDocument(repo *source.Repo, abs string) (*source.Document, bool) {
	rel, ok := repo.Rel(abs)
	if !ok {
		return nil, false
	}
	f, err := repo.File(rel)
	if err != nil || len(f.Docs) == 0 {
		return nil, false
	}
	return f.Docs[0], true
}

// names reports whether an entry's path is the missing one or lies below
// it (a component folder below a folder that does not exist).
func names(entry, missing string) bool {
	return entry == missing || strings.HasPrefix(entry, missing+string(filepath.Separator))
}

// within reports whether path is root or lies below it.
func within(path, root string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !filepath.IsAbs(rel) && (len(rel) < 3 || rel[:3] != ".."+string(filepath.Separator))
}

// folderAt returns the first line of the kustomization file of a folder of
// the repository, or the folder when it has none (Flux generates one).
func folderAt(repo *source.Repo, dir string) finding.Pos {
	if abs, ok := kustomizationFile(filesys.MakeFsOnDisk(), repo.Abs(dir)); ok {
		if rel, ok := repo.Rel(abs); ok {
			return finding.Pos{File: rel, Line: 1, Col: 1}
		}
	}
	return finding.Pos{File: dir}
}
