package schema

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/fluxlint/fluxlint/internal/finding"
	"github.com/fluxlint/fluxlint/internal/model"
	"github.com/fluxlint/fluxlint/internal/safefile"
	"github.com/fluxlint/fluxlint/internal/source"
)

// LoadCRDs reads the CustomResourceDefinitions of the given files and
// folders (searched recursively for .yaml, .yml and .json files); other
// documents are skipped. A path that cannot be read stops the run.
func LoadCRDs(paths []string) ([]*model.Object, error) {
	var out []*model.Object
	for _, p := range paths {
		files, err := crdFiles(p)
		if err != nil {
			return nil, fmt.Errorf("--crd %s: %w", p, err)
		}
		for _, file := range files {
			data, err := safefile.ReadFile(file)
			if err != nil {
				return nil, fmt.Errorf("--crd: %w", err)
			}
			for _, doc := range source.Parse(filepath.ToSlash(file), data).Docs {
				obj := doc.Object()
				if obj == nil || !IsCRD(obj) {
					continue
				}
				apiVersion, kind, _, name := doc.Meta()
				out = append(out, &model.Object{Content: obj, Doc: doc, Origin: doc.Pos(),
					Ref: finding.ObjectRef{APIVersion: apiVersion, Kind: kind, Name: name}})
			}
		}
	}
	return out, nil
}

// crdFiles lists path itself, or the YAML and JSON files below it, sorted;
// in a folder, a FIFO, socket or device is left out.
func crdFiles(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		irregular := d.Type()&(fs.ModeNamedPipe|fs.ModeSocket|fs.ModeDevice|fs.ModeCharDevice|fs.ModeIrregular) != 0
		if !d.IsDir() && !irregular && (source.IsYAMLName(d.Name()) || filepath.Ext(d.Name()) == ".json") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}
