package render

import (
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// virtualRoot is where a build sees its artifact's root folder. The
// kustomization.yaml that Flux generates lives in kustomize's in-memory
// file system, which refuses folder names outside [a-zA-Z0-9-_.:]; Flux
// builds artifacts extracted under such names, while a checkout may stand
// anywhere (/var/jenkins/workspace/job@2, /home/me/My Repos/fleet). Inside
// the artifact, names that kustomize would refuse reach it encoded
// (encodePath), as Flux, building on disk, takes them.
const virtualRoot = "/fluxlint-artifact"

// A rootedFS presents a file system of real paths with the artifact's root
// folder at virtualRoot: it translates every path it is given, and every
// path it returns, between the two. Paths outside virtualRoot pass
// unchanged, so the file system below still confines them to the artifact.
type rootedFS struct {
	fs filesys.FileSystem
	// root is the artifact's root folder, and resolved the same with its
	// symbolic links resolved, as CleanedAbs returns folders.
	root, resolved string
}

var _ filesys.FileSystem = (*rootedFS)(nil)

func newRootedFS(fs filesys.FileSystem, root string) *rootedFS {
	resolved, err := filepath.EvalSymlinks(root)
	if err != nil {
		resolved = root
	}
	return &rootedFS{fs: fs, root: root, resolved: resolved}
}

// swapPrefix replaces the folder from at the start of p by to, and reports
// whether p is from or lies below it. The rest of p is kept as it is.
func swapPrefix(p, from, to string) (string, bool) {
	if p == from {
		return to, true
	}
	if strings.HasPrefix(p, from) && strings.HasPrefix(p[len(from):], string(filepath.Separator)) {
		return to + p[len(from):], true
	}
	return p, false
}

// real returns the real path of a path of the build.
func (r *rootedFS) real(p string) string {
	if out, ok := swapPrefix(p, virtualRoot, r.root); ok {
		return r.root + decodePath(out[len(r.root):])
	}
	return p
}

// virtual returns the path the build sees for a real path.
func (r *rootedFS) virtual(p string) string {
	for _, root := range []string{r.root, r.resolved} {
		if out, ok := swapPrefix(p, root, virtualRoot); ok {
			return virtualRoot + encodePath(out[len(virtualRoot):])
		}
	}
	return p
}

// virtualPaths returns the paths the build sees for real paths.
func (r *rootedFS) virtualPaths(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = r.virtual(p)
	}
	return out
}

// realPattern returns the real glob pattern of a pattern of the build; the
// root's own characters match only themselves.
func (r *rootedFS) realPattern(pattern string) string {
	rest, ok := strings.CutPrefix(pattern, virtualRoot)
	if !ok || rest != "" && !strings.HasPrefix(rest, string(filepath.Separator)) {
		return pattern
	}
	return escapeGlob(r.root) + mapNames(rest, func(name string) string {
		if decoded := decodeName(name); decoded != name {
			return escapeGlob(decoded) // an encoded name is a name, not a pattern
		}
		return name
	})
}

// escapeGlob quotes the characters filepath.Match gives a meaning to.
func escapeGlob(s string) string {
	if filepath.Separator == '\\' {
		// Windows has no escape character; a root with these characters
		// cannot be globbed below.
		return s
	}
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune(`*?[]\`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// realError rewrites the virtual root and the encoded names in an error of
// the build as the real ones, so that messages name the files the user has.
func (r *rootedFS) realError(err error) error {
	if err == nil || !strings.Contains(err.Error(), virtualRoot) && !strings.Contains(err.Error(), encodedPrefix) {
		return err
	}
	return &translatedError{msg: decodeMessage(strings.ReplaceAll(err.Error(), virtualRoot, r.root)), err: err}
}

// A translatedError is an error with its message's paths made real.
type translatedError struct {
	msg string
	err error
}

func (e *translatedError) Error() string { return e.msg }
func (e *translatedError) Unwrap() error { return e.err }

// Create creates a file.
func (r *rootedFS) Create(path string) (filesys.File, error) {
	return r.fs.Create(r.real(path))
}

// Mkdir makes a folder.
func (r *rootedFS) Mkdir(path string) error { return r.fs.Mkdir(r.real(path)) }

// MkdirAll makes a folder and its parents.
func (r *rootedFS) MkdirAll(path string) error { return r.fs.MkdirAll(r.real(path)) }

// RemoveAll removes a path and what it holds.
func (r *rootedFS) RemoveAll(path string) error { return r.fs.RemoveAll(r.real(path)) }

// Open opens a file for reading.
func (r *rootedFS) Open(path string) (filesys.File, error) { return r.fs.Open(r.real(path)) }

// IsDir reports whether a path is a folder.
func (r *rootedFS) IsDir(path string) bool { return r.fs.IsDir(r.real(path)) }

// ReadDir lists the names in a folder.
func (r *rootedFS) ReadDir(path string) ([]string, error) { return r.fs.ReadDir(r.real(path)) }

// CleanedAbs splits a path into its folder, symbolic links resolved, and
// file name; the folder is a path of the build.
func (r *rootedFS) CleanedAbs(path string) (filesys.ConfirmedDir, string, error) {
	d, f, err := r.fs.CleanedAbs(r.real(path))
	if err != nil {
		return d, f, err
	}
	return filesys.ConfirmedDir(r.virtual(string(d))), f, nil
}

// Exists reports whether a path exists.
func (r *rootedFS) Exists(path string) bool { return r.fs.Exists(r.real(path)) }

// Glob lists the files that match a pattern, as paths of the build.
func (r *rootedFS) Glob(pattern string) ([]string, error) {
	paths, err := r.fs.Glob(r.realPattern(pattern))
	for i, p := range paths {
		paths[i] = r.virtual(p)
	}
	return paths, err
}

// ReadFile reads a file.
func (r *rootedFS) ReadFile(path string) ([]byte, error) { return r.fs.ReadFile(r.real(path)) }

// WriteFile writes a file.
func (r *rootedFS) WriteFile(path string, data []byte) error {
	return r.fs.WriteFile(r.real(path), data)
}

// Walk walks a folder, giving walkFn paths of the build.
func (r *rootedFS) Walk(path string, walkFn filepath.WalkFunc) error {
	return r.fs.Walk(r.real(path), func(p string, info os.FileInfo, err error) error {
		return walkFn(r.virtual(p), info, err)
	})
}
