package render

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"sigs.k8s.io/kustomize/api/konfig"

	"github.com/fluxlint/fluxlint/internal/safefile"
	"github.com/fluxlint/fluxlint/internal/source"
)

// A screen decides, before kustomize or Flux's generator reads a file,
// whether it may: kustomize reads files whole and expands every YAML alias,
// so a file over the size limit or an alias bomb would exhaust memory or
// never finish. fluxlint's own parser, which has limits, reads it first.
//
// A screen is made per build: it also counts the documents of the files
// the build reads, and refuses the file that takes them over the
// repository's MaxBuildDocuments, since kustomize's time grows with the
// square of one build's resources.
type screen struct {
	repo  *source.Repo
	count *docCount
}

// newScreen returns the screen of one build.
func newScreen(repo *source.Repo) screen {
	return screen{repo: repo, count: &docCount{seen: map[string]bool{}}}
}

// A docCount is the number of documents of the files one build read.
type docCount struct {
	mu   sync.Mutex
	seen map[string]bool
	docs int
}

// add counts the documents of a file once, and returns an error when the
// build's total goes over limit (zero: no limit).
func (c *docCount) add(abs string, docs, limit int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[abs] {
		return nil
	}
	c.seen[abs] = true
	c.docs += docs
	if limit > 0 && c.docs > limit {
		return fmt.Errorf("the files of this build hold more than %d YAML documents together (limits.maxBuildDocuments): "+
			"kustomize's time grows with the square of one build's resources", limit)
	}
	return nil
}

// check returns an error for a file that must not be read.
func (s screen) check(abs string) error {
	info, err := os.Stat(abs)
	if err != nil || info.IsDir() {
		return nil //nolint:nilerr // a missing file is the build's to report
	}
	if !info.Mode().IsRegular() {
		// kustomize would block forever on a FIFO.
		return fmt.Errorf("%s: not read: %w", s.name(abs), safefile.ErrNotRegular)
	}
	if info.Size() > s.repo.MaxFileSize {
		return fmt.Errorf("%s: file is %d bytes, larger than the limit of %d (limits.maxFileSize)", s.name(abs), info.Size(), s.repo.MaxFileSize)
	}
	if !source.IsYAMLName(abs) && !isKustomizationFile(abs) {
		return nil
	}
	var f *source.File
	if rel, ok := s.repo.Rel(abs); ok {
		if f, err = s.repo.File(rel); err != nil {
			return err
		}
	} else {
		// A local source outside the repository (a mapped GitRepository).
		data, err := safefile.ReadFileLimit(abs, s.repo.MaxFileSize)
		if err != nil {
			return nil //nolint:nilerr // an unreadable file is the build's to report
		}
		f = source.ParseLimit(abs, data, s.repo.MaxDocuments)
	}
	if f.Refused != nil {
		return fmt.Errorf("not read: %w", f.Refused)
	}
	if s.count != nil {
		if err := s.count.add(abs, len(f.Docs), s.repo.MaxBuildDocuments); err != nil {
			return fmt.Errorf("%s: not read: %w", s.name(abs), err)
		}
	}
	return nil
}

func (s screen) name(abs string) string {
	if rel, ok := s.repo.Rel(abs); ok {
		return rel
	}
	return filepath.Base(abs)
}

// generated checks the files that Flux's generator reads when dir has no
// kustomization file (walkGenerated). The generator reads them with
// kustomize's parser, outside the artifact file system.
func (s screen) generated(a *Artifact, dir string) error {
	if readKustomization(dir) != nil {
		return nil
	}
	return walkGenerated(a, dir, s.check)
}

// walkGenerated calls fn with each file that Flux's generator reads for a
// folder without a kustomization file: the YAML files below dir, down to
// the folders that have a kustomization file of their own (kustomize
// builds those), leaving out what the artifact ignores. An error of fn
// stops the walk; an entry that cannot be read is left to the generator,
// which reports it.
func walkGenerated(a *Artifact, dir string, fn func(abs string) error) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return nil //nolint:nilerr // an unreadable entry is left to the generator, which reports it
		}
		if a.Ignored(p, d.IsDir()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if hasKustomization(p) {
				return filepath.SkipDir
			}
			return nil
		}
		if !source.IsYAMLName(p) {
			return nil
		}
		return fn(p)
	})
}

// hasKustomization reports whether a folder has a kustomization file, by
// any of the names kustomize recognizes.
func hasKustomization(dir string) bool {
	for _, n := range konfig.RecognizedKustomizationFileNames() {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			return true
		}
	}
	return false
}
