package source

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// DefaultMaxFileSize is the largest file read by default; larger files are
// reported instead of parsed.
const DefaultMaxFileSize = 64 << 20

// A Repo is the repository being checked. Files are parsed on first use and
// kept, so each file is parsed once however many renders read it. A Repo is
// safe for concurrent use.
type Repo struct {
	// Root is the absolute, symlink-free path of the repository.
	Root string
	// MaxFileSize is the largest file that is parsed.
	MaxFileSize int64
	// MaxDocuments is the largest number of documents a file may have.
	MaxDocuments int
	// MaxBuildDocuments is the largest number of documents the files of
	// one kustomize build may have together.
	MaxBuildDocuments int
	// Read, when set, is given the absolute path and the bytes of each
	// file the repository reads (to search or parse it), for the caches
	// that hash the files a run depends on. Set it before any read.
	Read func(abs string, data []byte)

	mu    sync.Mutex
	files map[string]*fileEntry
	// realDirs remembers which folders are free of symbolic links, from
	// the root down (linkFree).
	realDirs map[string]bool
	// texts keeps the bytes of the files Mentions read until they are
	// parsed (walk.go); walked is the first WalkYAML's walk, which the
	// others replay.
	texts   map[string][]byte
	walked  []walkEntry
	listing listing
	// notes remembers which noted texts the files read hold (Note).
	notes notes
	// kept holds, by name, the files of the walks WalkKept made.
	kept map[string][]string
	// trees bounds the node trees of the files parsed (KeepTrees); nil
	// keeps them all.
	trees *treeBudget
	// parsedLines counts the lines of the files parsed since the last
	// Forget.
	parsedLines int
}

type fileEntry struct {
	once sync.Once
	file *File
	err  error
}

// Open returns the repository rooted at dir.
func Open(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", dir, err)
	}
	abs, err = filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("open repository: %w", err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("open repository: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("open repository: %s is not a directory", dir)
	}
	return &Repo{Root: abs, MaxFileSize: DefaultMaxFileSize, MaxDocuments: DefaultMaxDocuments,
		MaxBuildDocuments: DefaultMaxBuildDocuments, files: map[string]*fileEntry{}, realDirs: map[string]bool{}, texts: map[string][]byte{}}, nil
}

// Rel returns the slash-separated path of abs relative to the root, and
// false when abs lies outside the repository.
func (r *Repo) Rel(abs string) (string, bool) {
	rel, err := filepath.Rel(r.Root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// Abs returns the absolute path of a slash-separated repository path.
func (r *Repo) Abs(rel string) string {
	return filepath.Join(r.Root, filepath.FromSlash(rel))
}

// Mentions reports whether the file at rel may hold text: false only when
// it can be read and does not contain it. It reads the bytes without
// parsing them, to skip files that a search cannot concern, or answers
// from what was noted when the file was read, for a text named by Note.
func (r *Repo) Mentions(rel, text string) bool {
	if holds, ok := r.noted(rel, text); ok {
		return holds
	}
	data, err := r.text(rel)
	return err != nil || bytes.Contains(data, []byte(text))
}

// File returns the parsed file at the repository path rel. Problems in the
// YAML are in File.Findings; the error is for files that cannot be read.
func (r *Repo) File(rel string) (*File, error) {
	return r.fileOnce(rel, func() (*File, error) { return r.readFile(rel) })
}

// fileOnce returns the file at rel, made by read the first time it is
// asked for, from whichever caller asks first.
func (r *Repo) fileOnce(rel string, read func() (*File, error)) (*File, error) {
	r.mu.Lock()
	e, ok := r.files[rel]
	if !ok {
		e = &fileEntry{}
		r.files[rel] = e
	}
	r.mu.Unlock()
	e.once.Do(func() {
		e.file, e.err = read()
		if e.file != nil {
			r.mu.Lock()
			r.parsedLines += len(e.file.Lines)
			r.mu.Unlock()
		}
	})
	return e.file, e.err
}

// ParsedLines returns the number of lines of the files parsed since the
// repository was opened or last forgot them (Forget): a measure of the
// memory they hold.
func (r *Repo) ParsedLines() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.parsedLines
}

// Forget drops the parsed files, to free their memory once the objects
// made from them are gone: a later File parses its file again. Files and
// documents already handed out stay valid, and so do the notes (Note),
// which are small.
func (r *Repo) Forget() {
	r.mu.Lock()
	clear(r.files)
	clear(r.realDirs)
	clear(r.texts)
	r.parsedLines = 0
	trees := r.trees
	r.mu.Unlock()
	trees.clear()
}

// KeepTrees bounds the node trees that the documents of the files parsed
// from now on keep to about lines lines of YAML: past it, the trees of the
// documents parsed longest ago are dropped and parsed again from the
// file's text when a caller asks for them (Document.Root). Positions and
// values stay the same; memory stays bounded at the cost of parsing again
// the documents looked at after their trees went. Call it before the
// files are read; lines <= 0 keeps every tree (the default).
func (r *Repo) KeepTrees(lines int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if lines <= 0 {
		r.trees = nil
		return
	}
	r.trees = &treeBudget{limit: lines}
}

// Reparsed returns how many node trees were parsed again since KeepTrees.
func (r *Repo) Reparsed() int {
	r.mu.Lock()
	trees := r.trees
	r.mu.Unlock()
	if trees == nil {
		return 0
	}
	trees.mu.Lock()
	defer trees.mu.Unlock()
	return trees.reparsed
}

func (r *Repo) readFile(rel string) (*File, error) {
	return r.readFileAs(rel, nil)
}

// statConfined returns the file information of abs (the repository path
// rel), following symbolic links, or an error when a link leads out of the
// repository: fluxlint reads no file outside it, whatever names one (issue
// 9). A path whose folders are free of links, and which is no link
// itself, is the file: the folders are asked about once a run (linkFree),
// not once for each file they hold, as resolving every path from the root
// would.
func (r *Repo) statConfined(rel, abs string) (fs.FileInfo, error) {
	if clean, ok := r.Rel(abs); ok && r.linkFree(path.Dir(clean)) {
		info, err := os.Lstat(abs)
		if err == nil && info.Mode()&fs.ModeSymlink == 0 {
			return info, nil
		}
		if errors.Is(err, fs.ErrNotExist) {
			// No link to resolve: the folders hold none and nothing is
			// there (a file a caller only looks for).
			if _, err := os.Stat(abs); err != nil {
				return nil, fmt.Errorf("read %s: %w", rel, err)
			}
		}
	}
	if resolved, err := filepath.EvalSymlinks(abs); err == nil {
		if _, inside := r.Rel(resolved); !inside {
			return nil, fmt.Errorf("read %s: a symbolic link out of the repository", rel)
		}
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", rel, err)
	}
	return info, nil
}

// linkFree reports whether the folder at the repository path dir and the
// folders above it, up to the root, are folders and not symbolic links,
// remembering the answer for each of them.
func (r *Repo) linkFree(dir string) bool {
	if dir == "." {
		return true
	}
	r.mu.Lock()
	free, ok := r.realDirs[dir]
	r.mu.Unlock()
	if ok {
		return free
	}
	free = r.linkFree(path.Dir(dir))
	if free {
		info, err := os.Lstat(r.Abs(dir))
		free = err == nil && info.IsDir()
	}
	r.mu.Lock()
	r.realDirs[dir] = free
	r.mu.Unlock()
	return free
}

// IsYAMLName reports whether a file name ends in .yaml or .yml.
func IsYAMLName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}
