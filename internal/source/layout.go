package source

import (
	"fmt"
	"slices"
	"strings"

	"github.com/fluxlint/fluxlint/internal/finding"
)

// A Layout is what parsing a file found, less the node trees: the lines
// each document that parsed spans, and the file's findings. A render
// record keeps the layouts of the files its build read (internal/render),
// so that restoring the render does not parse them: Repo.FileOfLayout
// makes the File, whose documents parse their trees when first asked for
// (Document.Root), as those a tree budget dropped do.
type Layout struct {
	// Docs holds the first and last line (1-based) of each document.
	Docs [][2]int
	// Findings are the file's YAML findings.
	Findings []finding.Finding
}

// Layout returns the layout of a parsed file; ok is false for a file it
// cannot stand for (one refused: too many documents, excessive aliasing).
func (f *File) Layout() (l Layout, ok bool) {
	if f.Refused != nil {
		return Layout{}, false
	}
	for i, d := range f.Docs {
		if d.Index != i {
			return Layout{}, false
		}
		l.Docs = append(l.Docs, [2]int{d.StartLine, d.EndLine})
	}
	l.Findings = slices.Clone(f.Findings)
	return l, true
}

// FileOfLayout returns the file at rel as File does, made from l rather
// than parsed when it was not read yet: l must be the layout of the file's
// present content (a render record's seal, derived from the contents of
// the files it names, makes sure of it). A layout that does not fit the
// text (documents out of order, or not starting and ending where the
// file's documents do) is not used: the file is parsed.
func (r *Repo) FileOfLayout(rel string, l Layout) (*File, error) {
	return r.fileOnce(rel, func() (*File, error) { return r.readFileAs(rel, &l) })
}

// shallowFile makes the File of data from its layout, without parsing its
// documents; ok is false when the layout does not fit the text.
func shallowFile(path string, data []byte, l *Layout, maxDocuments int) (*File, bool) {
	data, ok := utf8Text(data)
	if !ok {
		return nil, false
	}
	f := &File{Path: path, Lines: strings.Split(lineBreaks.Replace(string(data)), "\n")}
	chunks := splitDocuments(f.Lines)
	if overLimit(chunks, maxDocuments) != nil {
		return nil, false
	}
	bounds := make(map[[2]int]bool, len(chunks))
	for _, c := range chunks {
		bounds[[2]int{c.start + 1, c.start + len(c.lines)}] = true
	}
	last := 0
	for i, span := range l.Docs {
		if !bounds[span] || span[0] <= last {
			return nil, false
		}
		last = span[1]
		f.Docs = append(f.Docs, &Document{File: f, Index: i, StartLine: span[0], EndLine: span[1]})
	}
	f.Findings = slices.Clone(l.Findings)
	return f, true
}

// readFileAs is readFile, making the File from a layout when one is given
// and fits.
func (r *Repo) readFileAs(rel string, l *Layout) (*File, error) {
	data, err := r.fileText(rel)
	if err != nil {
		return nil, err
	}
	if l != nil {
		if f, ok := shallowFile(rel, data, l, r.MaxDocuments); ok {
			r.mu.Lock()
			f.budget = r.trees
			r.mu.Unlock()
			return f, nil
		}
	}
	f := ParseLimit(rel, data, r.MaxDocuments)
	r.mu.Lock()
	f.budget = r.trees
	r.mu.Unlock()
	f.budget.add(f.Docs...)
	return f, nil
}

// fileText returns the bytes of the file at rel for parsing, refusing
// links out of the repository, files larger than the limit and what is
// not a regular file.
func (r *Repo) fileText(rel string) ([]byte, error) {
	abs := r.Abs(rel)
	info, err := r.statConfined(rel, abs)
	if err != nil {
		return nil, err
	}
	if info.Size() > r.MaxFileSize {
		return nil, fmt.Errorf("read %s: file is %d bytes, larger than the limit of %d", rel, info.Size(), r.MaxFileSize)
	}
	// Only a regular file is read: a FIFO named *.yaml would block the
	// run forever.
	data, err := r.takeText(rel)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", rel, err)
	}
	return data, nil
}
