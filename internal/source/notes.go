package source

import "bytes"

// notes remembers, for the files a run read, whether each holds the texts
// that Note named, so that Mentions of one of them needs no second read
// once the file's bytes are dropped (parsed, or forgotten).
type notes struct {
	texts []string
	// held has, for each file read since a text was noted, a bit for each
	// text it holds; a text noted after the file was read has no bit
	// there, nor an answer.
	held map[string]noteBits
}

// noteBits says which of the texts, by their index, a file holds (bit i
// set) and which it was checked for (known).
type noteBits struct{ held, known uint64 }

// maxNotes bounds the texts noted: one bit each.
const maxNotes = 64

// Note makes the repository remember, for each file it reads from now on,
// whether the file holds text: a later Mentions(rel, text) is answered
// without reading the file again, from the bytes first read in the run.
// The post-processing of a run looks for suppression comments in every
// file the renders read, most of which the run's searches read already.
// Past 64 texts, Note does nothing.
func (r *Repo) Note(text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.notes.texts) < maxNotes && text != "" {
		r.notes.texts = append(r.notes.texts, text)
	}
}

// noteLocked records which noted texts data, the bytes of the file at rel,
// holds. r.mu is held.
func (r *Repo) noteLocked(rel string, data []byte) {
	if len(r.notes.texts) == 0 {
		return
	}
	if r.notes.held == nil {
		r.notes.held = map[string]noteBits{}
	}
	var b noteBits
	for i, text := range r.notes.texts {
		b.known |= 1 << i
		if bytes.Contains(data, []byte(text)) {
			b.held |= 1 << i
		}
	}
	r.notes.held[rel] = b
}

// noted answers whether the file at rel holds text from what was noted
// when it was read; ok is false when nothing was.
func (r *Repo) noted(rel, text string) (holds, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, read := r.notes.held[rel]
	if !read {
		return false, false
	}
	for i, t := range r.notes.texts {
		if t == text && b.known&(1<<i) != 0 {
			return b.held&(1<<i) != 0, true
		}
	}
	return false, false
}
