package diskcache

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// staleTemp is the age after which a temporary file is taken as left over
// by a run that ended before renaming it.
const staleTemp = time.Hour

// entry is one file found under the store's folder.
type entry struct {
	path  string
	size  int64
	mtime time.Time
}

// walk lists the regular files under Dir; a missing Dir holds none.
func (s *Store) walk() ([]entry, error) {
	var files []entry
	err := filepath.WalkDir(s.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed by a concurrent run, or no cache yet
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		files = append(files, entry{path: path, size: info.Size(), mtime: info.ModTime()})
		return nil
	})
	return files, err
}

// Usage returns the total bytes and file count under Dir.
func (s *Store) Usage() (bytes int64, files int, err error) {
	list, err := s.walk()
	if err != nil {
		return 0, 0, err
	}
	for _, e := range list {
		bytes += e.size
	}
	return bytes, len(list), nil
}

// Prune removes the least recently used files (by mtime) under the whole Dir until its size is at most maxBytes; it returns what it removed and freed. Temp files older than an hour are removed too. Files are never left half-written.
func (s *Store) Prune(maxBytes int64) (removed int, freed int64, err error) {
	list, err := s.walk()
	if err != nil {
		return 0, 0, err
	}
	var total int64
	var keep []entry
	cutoff := time.Now().Add(-staleTemp)
	for _, e := range list {
		if strings.HasPrefix(filepath.Base(e.path), tempPrefix) && e.mtime.Before(cutoff) {
			if s.remove(e) {
				removed++
				freed += e.size
			}
			continue
		}
		total += e.size
		keep = append(keep, e)
	}
	// Oldest first; the path breaks ties so that the order is deterministic.
	sort.Slice(keep, func(i, j int) bool {
		if !keep[i].mtime.Equal(keep[j].mtime) {
			return keep[i].mtime.Before(keep[j].mtime)
		}
		return keep[i].path < keep[j].path
	})
	for _, e := range keep {
		if total <= maxBytes {
			break
		}
		if strings.HasPrefix(filepath.Base(e.path), tempPrefix) {
			continue // being written by a run now
		}
		total -= e.size
		if s.remove(e) {
			removed++
			freed += e.size
		}
	}
	return removed, freed, nil
}

// remove deletes one file (an atomic unlink: a reader has the whole file or
// none) and the folders it leaves empty below Dir. It reports whether this
// call removed the file; a concurrent run may have removed it first.
func (s *Store) remove(e entry) bool {
	if err := os.Remove(e.path); err != nil {
		return false
	}
	root := filepath.Clean(s.Dir)
	for dir := filepath.Dir(e.path); dir != root && strings.HasPrefix(dir, root+string(filepath.Separator)); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil { // not empty, or in use by a Put
			break
		}
	}
	return true
}
