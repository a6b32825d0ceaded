package safefile

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// Confined returns an error when path, with its symbolic links resolved,
// lies outside root: a chart folder or values file of a source must not
// reach files beyond the source, as the source-controller's secure join
// guarantees. A path that does not exist is not this function's error.
func Confined(root, path string) error {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil //nolint:nilerr // a missing root is reported by the read
	}
	resolved, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil //nolint:nilerr // a missing or looping path is reported by the read
	}
	if resolved != realRoot && !strings.HasPrefix(resolved, realRoot+string(filepath.Separator)) {
		rel, _ := filepath.Rel(root, path)
		return fmt.Errorf("%s leaves the source through a symbolic link", filepath.ToSlash(rel))
	}
	return nil
}

// ConfinedTree checks dir and every symbolic link below it: Helm's chart
// loader follows links, so one that points outside root would read files
// beyond the source. A link that loops or dangles is refused too.
func ConfinedTree(root, dir string) error {
	if err := Confined(root, dir); err != nil {
		return err
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.Type()&fs.ModeSymlink == 0 {
			return nil //nolint:nilerr // unreadable entries are the loader's to report
		}
		if _, err := filepath.EvalSymlinks(p); err != nil {
			rel, _ := filepath.Rel(root, p)
			return fmt.Errorf("%s is a symbolic link that loops or dangles", filepath.ToSlash(rel))
		}
		return Confined(root, p)
	})
}
