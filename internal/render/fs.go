package render

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/fluxcd/pkg/sourceignore"
	"github.com/fluxcd/pkg/sourceignore/gitignore"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// An Artifact is the content of a Flux source as Flux would see it: a folder
// of the repository, less the paths its ignore rules exclude.
type Artifact struct {
	// Root is the absolute path of the artifact's root folder.
	Root string
	// Prefix, when set, is Root's path (slash-separated) inside the Git
	// repository that holds it, when that is larger: a Flux spec.path
	// that starts with it is read from Root.
	Prefix  string
	matcher gitignore.Matcher
	// reincludes is set when an ignore rule re-includes paths (a line
	// starting with "!"): a file below an excluded folder may then be in
	// the artifact, since source-controller matches every file by its own
	// path and never skips a folder's contents.
	reincludes bool

	// ignoreSum is a hash of the artifact's ignore rules (its own and
	// those of every .sourceignore file), which a cached generated
	// kustomization depends on (plancache.go); "" for an artifact not made
	// by NewArtifact.
	ignoreSum string

	mu sync.Mutex
	// ignoredDirs remembers which folders (slash-separated, relative to
	// Root) are ignored: every path below a folder asks about it again.
	ignoredDirs map[string]bool
}

// Join returns the folder a Flux path (spec.path, a chart path) names in
// the artifact, confined to its root. When the artifact is a folder of a
// larger Git repository (fluxlint was pointed at a subfolder), a path that
// names a folder below it from the Git root, and does not exist as it is,
// is read in the artifact: Flux reads the whole repository.
func (a *Artifact) Join(path string) string {
	clean := filepath.Clean("/" + filepath.FromSlash(path))
	dir := filepath.Join(a.Root, clean)
	if a.Prefix == "" {
		return dir
	}
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	if rest, ok := strings.CutPrefix(filepath.ToSlash(clean), "/"+a.Prefix); ok && (rest == "" || strings.HasPrefix(rest, "/")) {
		return filepath.Join(a.Root, filepath.FromSlash(rest))
	}
	return dir
}

// NewArtifact returns the artifact of a source rooted at root, with the
// source-controller's default exclusions, the .sourceignore files of the
// tree and the source's own ignore rules (spec.ignore, gitignore syntax).
func NewArtifact(root, ignore string) (*Artifact, error) {
	sum := sha256.New()
	_, _ = io.WriteString(sum, ignore+"\x00")
	ps, reincludes, err := loadIgnoreFiles(root, nil, sum)
	if err != nil {
		return nil, fmt.Errorf("load .sourceignore: %w", err)
	}
	if ignore != "" {
		ps = append(ps, sourceignore.ReadPatterns(strings.NewReader(ignore), nil)...)
		reincludes = reincludes || hasInclusion(ignore)
	}
	// source-controller's SourceIgnoreFilter: the default exclusions
	// (images, CI folders, .sops.yaml) apply only when the source has no
	// rules of its own; the version-control files are always left out.
	matcher := sourceignore.NewDefaultMatcher(ps, nil)
	if len(ps) > 0 {
		matcher = sourceignore.NewMatcher(append(sourceignore.VCSPatterns(nil), ps...))
	}
	return &Artifact{Root: root, matcher: matcher, reincludes: reincludes, ignoreSum: hex.EncodeToString(sum.Sum(nil)),
		ignoredDirs: map[string]bool{}}, nil
}

// loadIgnoreFiles reads the .sourceignore files of the tree at dir as
// sourceignore.LoadIgnorePatterns does, each scoped to its folder, and
// reports whether any of their rules re-includes paths. It writes the
// folder and content of each file to sum.
func loadIgnoreFiles(dir string, domain []string, sum io.Writer) ([]gitignore.Pattern, bool, error) {
	var ps []gitignore.Pattern
	reincludes := false
	data, err := os.ReadFile(filepath.Join(dir, sourceignore.IgnoreFile))
	switch {
	case err == nil:
		_, _ = fmt.Fprintf(sum, "%q %d\x00%s", strings.Join(domain, "/"), len(data), data)
		ps = sourceignore.ReadPatterns(strings.NewReader(string(data)), slices.Clone(domain))
		reincludes = hasInclusion(string(data))
	case !os.IsNotExist(err):
		return nil, false, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, false, err
	}
	for _, e := range entries {
		if !e.IsDir() || e.Name() == ".git" {
			continue
		}
		sub, re, err := loadIgnoreFiles(filepath.Join(dir, e.Name()), append(slices.Clone(domain), e.Name()), sum)
		if err != nil {
			return nil, false, err
		}
		ps = append(ps, sub...)
		reincludes = reincludes || re
	}
	return ps, reincludes, nil
}

// hasInclusion reports whether gitignore rules re-include paths.
func hasInclusion(rules string) bool {
	for _, line := range strings.Split(rules, "\n") {
		if strings.HasPrefix(line, "!") {
			return true
		}
	}
	return false
}

// Ignored reports whether the absolute path abs is left out of the
// artifact; for a folder, whether everything below it is. Like
// source-controller's archive, a file is matched by its own path, so a
// rule such as "!/deploy/prod" re-includes it below an excluded folder.
func (a *Artifact) Ignored(abs string, isDir bool) bool {
	rel, err := filepath.Rel(a.Root, abs)
	if err != nil || rel == "." {
		return false
	}
	if strings.HasPrefix(rel, "..") {
		return true
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	if isDir {
		return a.dirIgnored(parts)
	}
	if a.reincludes {
		return a.matcher.Match(parts, false)
	}
	// Without re-inclusions, a path is ignored when one of its parent
	// folders is: checking those first answers from the cache.
	for i := 1; i < len(parts); i++ {
		if a.dirIgnored(parts[:i]) {
			return true
		}
	}
	return a.matcher.Match(parts, false)
}

// dirIgnored reports whether the folder at parts, and everything below
// it, is left out, remembering the answer.
func (a *Artifact) dirIgnored(parts []string) bool {
	key := strings.Join(parts, "/")
	a.mu.Lock()
	ignored, ok := a.ignoredDirs[key]
	a.mu.Unlock()
	if ok {
		return ignored
	}
	if a.reincludes {
		ignored = a.matcher.Match(parts, true) && !a.keepsFileBelow(parts)
	} else {
		ignored = len(parts) > 1 && a.dirIgnored(parts[:len(parts)-1]) || a.matcher.Match(parts, true)
	}
	a.mu.Lock()
	a.ignoredDirs[key] = ignored
	a.mu.Unlock()
	return ignored
}

// keepsFileBelow reports whether a file below the folder at parts is in the
// artifact, matched by its own path.
func (a *Artifact) keepsFileBelow(parts []string) bool {
	errFound := errors.New("found")
	err := filepath.WalkDir(filepath.Join(a.Root, filepath.Join(parts...)), func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return nil //nolint:nilerr // an unreadable entry holds nothing the artifact keeps
		case d.IsDir() && d.Name() == ".git":
			return filepath.SkipDir
		case !d.Type().IsRegular():
			return nil
		}
		rel, err := filepath.Rel(a.Root, p)
		if err == nil && !a.matcher.Match(strings.Split(filepath.ToSlash(rel), "/"), false) {
			return errFound
		}
		return nil
	})
	return errors.Is(err, errFound)
}

// IgnoredUnder lists, as gitignore patterns anchored at dir, the files and
// folders under dir that the artifact leaves out. The Flux generator takes
// these when it scans a folder that has no kustomization.yaml.
func (a *Artifact) IgnoredUnder(dir string) string {
	var out []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return nil //nolint:nilerr // an unreadable entry is left to the build, which reports it
		}
		if a.Ignored(p, d.IsDir()) {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, "/"+filepath.ToSlash(rel))
			if d.IsDir() {
				return filepath.SkipDir
			}
		}
		return nil
	})
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// artifactFS is the file system a build sees: reads are confined to the
// artifact, ignored paths do not exist, and every file read is recorded, so
// that YAML problems are reported only for files Flux really reads.
type artifactFS struct {
	filesys.FileSystem
	artifact *Artifact
	// screen refuses files over the limits before kustomize reads them.
	screen screen

	mu   sync.Mutex
	read map[string]bool
}

func newArtifactFS(a *Artifact, disk filesys.FileSystem, s screen) *artifactFS {
	return &artifactFS{FileSystem: disk, artifact: a, screen: s, read: map[string]bool{}}
}

func (f *artifactFS) hidden(path string) bool {
	abs, err := filepath.Abs(path)
	if err != nil {
		return true
	}
	info, err := os.Stat(abs)
	return f.artifact.Ignored(abs, err == nil && info.IsDir())
}

func (f *artifactFS) record(path string) {
	if abs, err := filepath.Abs(path); err == nil {
		f.mu.Lock()
		f.read[abs] = true
		f.mu.Unlock()
	}
}

// ReadFile reads a file of the artifact and records that it was read.
func (f *artifactFS) ReadFile(path string) ([]byte, error) {
	if f.hidden(path) {
		return nil, fmt.Errorf("%s: %w (excluded from the source artifact)", path, fs.ErrNotExist)
	}
	f.record(path)
	if err := f.screened(path); err != nil {
		return nil, err
	}
	return f.FileSystem.ReadFile(path)
}

// Open opens a file of the artifact and records that it was read.
func (f *artifactFS) Open(path string) (filesys.File, error) {
	if f.hidden(path) {
		return nil, fmt.Errorf("%s: %w (excluded from the source artifact)", path, fs.ErrNotExist)
	}
	f.record(path)
	if err := f.screened(path); err != nil {
		return nil, err
	}
	return f.FileSystem.Open(path)
}

// screened checks a file against the limits, following symbolic links
// only inside the artifact (the secure file system refuses the others).
func (f *artifactFS) screened(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil //nolint:nilerr // the read reports a bad path
	}
	return f.screen.check(abs)
}

// Exists reports whether a path exists in the artifact.
func (f *artifactFS) Exists(path string) bool {
	return !f.hidden(path) && f.FileSystem.Exists(path)
}

// ReadDir lists a folder of the artifact.
func (f *artifactFS) ReadDir(path string) ([]string, error) {
	names, err := f.FileSystem.ReadDir(path)
	if err != nil {
		return nil, err
	}
	kept := names[:0]
	for _, n := range names {
		if !f.hidden(filepath.Join(path, n)) {
			kept = append(kept, n)
		}
	}
	return kept, nil
}

// Walk walks a folder of the artifact, skipping ignored paths.
func (f *artifactFS) Walk(path string, walkFn filepath.WalkFunc) error {
	return f.FileSystem.Walk(path, func(p string, info os.FileInfo, err error) error {
		if err == nil && p != path && f.artifact.Ignored(p, info.IsDir()) {
			if info.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		return walkFn(p, info, err)
	})
}

// filesRead returns the absolute paths of the files read, sorted.
func (f *artifactFS) filesRead() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.read))
	for p := range f.read {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
