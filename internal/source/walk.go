package source

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/fluxlint/fluxlint/internal/safefile"
)

// A walkEntry is a YAML file or a folder of the repository, as WalkYAML
// met it.
type walkEntry struct {
	rel string
	dir bool
}

// WalkYAML calls fn with the repository path of every .yaml and .yml file,
// in lexical order, skipping the .git folder and paths that skip says to.
// The repository is walked once: later calls replay the first walk (a
// run walks it for its clusters, this repository's URL, Kustomizations no
// cluster renders, objects applied by hand, and the cache), calling skip
// and fn as a walk would.
func (r *Repo) WalkYAML(skip func(rel string, dir bool) bool, fn func(rel string)) error {
	walked, err := r.walkOnce()
	if err != nil {
		return err
	}
	skipped := ""
	for _, e := range walked {
		if skipped != "" && strings.HasPrefix(e.rel, skipped+"/") {
			continue
		}
		skipped = ""
		switch {
		case e.dir:
			if skip != nil && skip(e.rel, true) {
				skipped = e.rel
			}
		case skip == nil || !skip(e.rel, false):
			fn(e.rel)
		}
	}
	return nil
}

// WalkKept is WalkYAML with the skip rules that rules makes, named by
// name: the first call with a name walks with them, and the calls after it
// replay the files that walk kept, without making or matching the rules
// again (a run walks the repository under its root's ignore rules to find
// its clusters, the Kustomizations no cluster renders and a tenant's
// overlays). Calls with one name must mean the same rules. An error of
// rules is returned, and the next call tries again.
func (r *Repo) WalkKept(name string, rules func() (skip func(rel string, dir bool) bool, err error), fn func(rel string)) error {
	r.mu.Lock()
	kept, ok := r.kept[name]
	r.mu.Unlock()
	if !ok {
		skip, err := rules()
		if err != nil {
			return err
		}
		kept = []string{}
		if err := r.WalkYAML(skip, func(rel string) { kept = append(kept, rel) }); err != nil {
			return err
		}
		r.mu.Lock()
		if r.kept == nil {
			r.kept = map[string][]string{}
		}
		r.kept[name] = kept
		r.mu.Unlock()
	}
	for _, rel := range kept {
		fn(rel)
	}
	return nil
}

// walkOnce returns the first walk of the repository, walking it now when
// none was made.
func (r *Repo) walkOnce() ([]walkEntry, error) {
	r.mu.Lock()
	walked := r.walked
	r.mu.Unlock()
	if walked != nil {
		return walked, nil
	}
	walked, listing, err := r.walk()
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.walked, r.listing = walked, listing
	r.mu.Unlock()
	return walked, nil
}

// Listing returns a hash of the paths of every file and folder of the
// repository, the .git folder excepted, from the repository's one walk
// (WalkYAML): what the caches of a run compare to tell that a file was
// added or removed. It is an error when the walk could not read a folder.
func (r *Repo) Listing() (string, error) {
	if _, err := r.walkOnce(); err != nil {
		return "", err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.listing.err != nil {
		return "", r.listing.err
	}
	return r.listing.sum, nil
}

// A listing is the hash of the paths a walk met (Listing), or the first
// error it met.
type listing struct {
	sum string
	err error
}

// walk lists the YAML files and the folders of the repository, in lexical
// order, without the .git folder and what cannot be read for lack of
// permission, and hashes the paths of everything it met.
func (r *Repo) walk() ([]walkEntry, listing, error) {
	out := []walkEntry{}
	h := sha256.New()
	var listErr error
	err := filepath.WalkDir(r.Root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			listErr = cmp.Or(listErr, err)
			if errors.Is(err, fs.ErrPermission) {
				return nil
			}
			return err
		}
		if !d.IsDir() || d.Name() != ".git" {
			lrel, _ := filepath.Rel(r.Root, path)
			_, _ = io.WriteString(h, lrel)
			_, _ = h.Write([]byte{0})
		}
		rel, ok := r.Rel(path)
		if !ok || rel == "." {
			return nil
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			out = append(out, walkEntry{rel: rel, dir: true})
			return nil
		}
		if d.Type().IsRegular() && IsYAMLName(rel) {
			out = append(out, walkEntry{rel: rel})
		}
		return nil
	})
	return out, listing{sum: hex.EncodeToString(h.Sum(nil)), err: listErr}, err
}

// text returns the bytes of the file at rel, keeping them until the file
// is parsed (takeText): the searches of a run (Mentions) read most files
// of the repository before any is parsed.
func (r *Repo) text(rel string) ([]byte, error) {
	r.mu.Lock()
	data, ok := r.texts[rel]
	r.mu.Unlock()
	if ok {
		return data, nil
	}
	data, err := r.readText(rel)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.texts[rel] = data
	r.mu.Unlock()
	return data, nil
}

// takeText returns the bytes of the file at rel for parsing, those text
// kept or else read now, and forgets them.
func (r *Repo) takeText(rel string) ([]byte, error) {
	r.mu.Lock()
	data, ok := r.texts[rel]
	delete(r.texts, rel)
	r.mu.Unlock()
	if ok {
		return data, nil
	}
	return r.readText(rel)
}

// readText reads the bytes of the file at rel from disk, notes what they
// hold (Note) and hands them to Read.
func (r *Repo) readText(rel string) ([]byte, error) {
	abs := r.Abs(rel)
	data, err := safefile.ReadFileLimit(abs, r.MaxFileSize)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.noteLocked(rel, data)
	r.mu.Unlock()
	if r.Read != nil {
		r.Read(abs, data)
	}
	return data, nil
}
